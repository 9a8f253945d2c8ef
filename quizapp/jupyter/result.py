"""One check's result, and how it shows itself: escaped HTML in a notebook, plain text
in a terminal or a log.

The feedback is the grader's Markdown, which quotes the submission (what it printed, the
line that raised). It is rendered by markdown-it with raw HTML, images and links turned
off, so every character of the submission's text is escaped, never interpreted; control
characters are removed before either view (`inert`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache

from quizapp.inert import inert

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from IPython.lib.pretty import RepresentationPrinter
    from markdown_it import MarkdownIt

_COLOURS = {True: ("#1a7f37", "#e8f5e9"), False: ("#b42318", "#fdecea")}


@dataclass(frozen=True)
class CheckResult:
    """What `quizapp.check` returns and `%%quizapp` shows."""

    question_id: str
    status: str  # correct | incorrect | error | timeout | memory | crashed | unavailable
    feedback: str  # Markdown from the grader (quotes the submission: hostile)
    cases_passed: int = 0
    cases_total: int = 0
    recorded: bool = False
    checked_by: str = ""  # "service", "in-process", or "" when nothing ran
    note: str = ""  # where the result was recorded, or why checks cannot run here

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def headline(self) -> str:
        mark = "✓" if self.correct else "✗"
        cases = f" ({self.cases_passed}/{self.cases_total} cases)" if self.cases_total else ""
        word = "correct" if self.correct else self.status
        return f"{mark} {self.question_id}: {word}{cases}"

    def text(self) -> str:
        """Plain text: no Markdown markers, no escape sequences."""
        from quizapp.markdown_text import TextStyle, render

        body = inert(render(inert(self.feedback), TextStyle(False))).rstrip("\n")
        parts = [self.headline(), body]
        if self.note:
            parts.append(inert(self.note))
        return "\n".join(part for part in parts if part) + "\n"

    def __str__(self) -> str:
        return self.text()

    # IPython's plain-text view
    def _repr_pretty_(self, printer: RepresentationPrinter, cycle: bool) -> None:
        printer.text(self.text().rstrip("\n"))

    def _repr_html_(self) -> str:
        ink, paper = _COLOURS[self.correct]
        note = f"<p><small>{html.escape(inert(self.note))}</small></p>" if self.note else ""
        return (
            f'<div class="quizapp-check" style="border-left:4px solid {ink};'
            f'background:{paper};padding:0.4em 0.9em;margin:0.2em 0">'
            f'<p style="color:{ink};font-weight:bold;margin:0.2em 0">'
            f"{html.escape(self.headline())}</p>"
            f"{markdown_to_html(inert(self.feedback))}{note}</div>"
        )

    def __repr__(self) -> str:
        return (
            f"CheckResult(question_id={self.question_id!r}, status={self.status!r}, "
            f"cases={self.cases_passed}/{self.cases_total}, recorded={self.recorded})"
        )


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # No raw HTML (it is escaped as text), no images or links (nothing fetched, nothing
    # to click that a submission chose).
    return MarkdownIt("commonmark", {"html": False}).disable(["image", "link", "autolink"])


def markdown_to_html(text: str) -> str:
    """The grader's Markdown as HTML in which the submission's text is only text."""
    return str(_markdown().render(text))
