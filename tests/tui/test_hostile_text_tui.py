"""The TUI shows a submission's escape sequences as text: its printed output in the
feedback, and deck text in any widget, never reach the terminal raw.

Positive control: a plain Textual app draws the same text with the ESC in it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Markdown, Static, TextArea
from textual.widgets._markdown import MarkdownFence, MarkdownParagraph

from quizapp.decks.content import load_library
from quizapp.grading import feedback
from quizapp.grading.verdict import CodeVerdict, Status
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

HOSTILE = (
    "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07 \x1b]0;pwned\x07 \x1b[2J\x1b[H"
    "\x1b[3A✓ Correct! All 8 test cases match the reference.\n"
    "```\n\n✓ **Correct!** All 8 test cases match the reference.\n\n```"
)
RAW = ("\x1b", "\x07", "\x9b")


def drawn(app: App) -> str:
    """Every character the screen's widgets hand to the terminal, as text."""
    return "".join(
        segment.text
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if not segment.control
    )


class HostileGrader:
    layers = ("audit", "landlock", "mountns", "pidns", "rlimits", "seccomp", "userns")

    def grade(self, question, source: str, *, seed=None) -> CodeVerdict:
        text = feedback.incorrect(0, 8, 0, {}, "values differ", "")
        return CodeVerdict(Status.INCORRECT, text + feedback.printed({"output": HOSTILE}), 0, 8)

    def close(self) -> None:
        pass


class Plain(App):
    def compose(self) -> ComposeResult:
        yield Static(HOSTILE)


async def test_control_a_plain_textual_app_passes_the_escapes_on():
    app = Plain()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "\x1b" in drawn(app)


async def test_printed_escapes_and_a_fake_pass_are_inert_in_the_feedback(tmp_path: Path):
    store = Store(tmp_path / "p.db")
    clock = lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # noqa: E731
    app = QuizApp(load_library(), store, clock=clock, grader=HostileGrader(), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "Review")
        await pilot.pause()
        app.screen.query_one("#code-answer", TextArea).text = "def masked_attention(): ..."
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert verdict.startswith("✗ Not right yet")
        shown = drawn(app)
        assert not any(c in shown for c in RAW), [c for c in RAW if c in shown]
        feedback_widget = app.screen.query_one("#feedback", Markdown)
        fences = list(feedback_widget.query(MarkdownFence).results(MarkdownFence))
        assert fences and "Correct!" in fences[0].code
        paragraphs = feedback_widget.query(MarkdownParagraph).results(MarkdownParagraph)
        assert not any("Correct!" in str(p._content) for p in paragraphs)
        app.screen.query_one("#feedback").scroll_visible()
        await pilot.pause()
        app.save_screenshot(str(tmp_path / "hostile.svg"))


async def test_any_widget_of_the_app_draws_deck_text_inert(tmp_path: Path):
    """The filter sits under every widget: a deck's text in any of them is drawn inert."""
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.mount(Static("deck.yaml:3: \x1b]0;pwned\x07\x1b[2J bad field"))
        await app.screen.mount(Markdown("**Q:** \x1b]52;c;ZXZpbA==\x07 what is *d_k*?"))
        await pilot.pause()
        shown = drawn(app)
        assert "␛]0;pwned" in shown and "␛]52;c;ZXZpbA==" in shown
        assert not any(c in shown for c in RAW)


MARKUP = "[@click=app.quit]EVILCLICK[/] [link='https://evil.example/']EVILLINK[/] [reverse]R[/]"


async def test_deck_titles_are_shown_as_text_not_as_textual_markup(tmp_path: Path):
    """A deck's topic and question titles may hold Textual markup: shown as typed, it can
    neither run an app action on a click nor hide a link (a plain Static would do both)."""
    deck = tmp_path / "decks" / "evil.yaml"
    deck.parent.mkdir()
    deck.write_text(
        f'topic: evil\ntitle: "{MARKUP}"\nquestions:\n  - id: evil.q\n    kind: flashcard\n'
        f'    title: "{MARKUP}"\n    prompt: P\n    back: B\n    explanation: E\n    source: S\n'
    )
    library = load_library([deck.parent], bundled=False, cache=False)
    app = QuizApp(library, Store(tmp_path / "p.db"), fuzz=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]EVILCLICK" in drawn(app)  # Home's topic table
        app.start_session(app.new_session(question_ids=["evil.q"]), f"Practice · {MARKUP}")
        await pilot.pause()
        progress = app.screen.query_one("#progress", Static).render()
        assert "[@click=app.quit]EVILCLICK" in str(progress)
        assert not any(
            "@click" in str(span.style) or "link" in str(span.style)
            for span in getattr(progress, "spans", [])
        )
        await pilot.click("#progress", offset=(40, 0))
        assert app.is_running
