"""Anki export: every question becomes one note in a real `.apkg` package.

Students keep using Anki next to quizapp, so a re-export must update the notes they
already have instead of adding copies: note guids come from question ids, and the note
type and deck ids are fixed numbers. Math stays math (MathJax `\\(...\\)` / `\\[...\\]`),
Markdown becomes the HTML Anki shows.
"""

from __future__ import annotations

import errno
import hashlib
import html
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import genanki

from quizapp.decks.content import Library, Question
from quizapp.decks.math_segments import split_math
from quizapp.errors import ANKI_PACKAGE, FileRoleError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt

MODEL_ID = 1_716_402_311_001  # never change: Anki matches the note type by this id
MODEL_NAME = "quizapp question"
DECK_ROOT = "quizapp"
FIELDS = ["Question", "Answer", "Source", "Id"]
_MATH_TOKEN = re.compile("\ue000(\\d+)\ue001")

CSS = """\
.card { font-family: sans-serif; font-size: 18px; text-align: left; line-height: 1.45;
        color: black; background-color: white; max-width: 46em; margin: auto; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; font-size: 15px; }
.answer-label { font-weight: bold; }
.explanation { margin-top: 1em; border-top: 1px solid #ccc; padding-top: 0.6em; }
.source { margin-top: 1.2em; font-size: 13px; color: #777; }
"""


@dataclass(frozen=True)
class CardText:
    """The HTML of a note's two sides."""

    front: str
    back: str


@dataclass
class ExportReport:
    notes: int = 0
    decks: int = 0
    problems: list[str] = field(default_factory=list)


# -- Markdown and math ----------------------------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(markdown: str) -> str:
    """Markdown as HTML, with `$...$` kept as MathJax `\\(...\\)` and `$$...$$` as `\\[...\\]`.

    Math is set aside before Markdown runs so underscores and backslashes inside it are
    not taken for emphasis or escapes.
    """
    formulas: list[str] = []
    pieces: list[str] = []
    for seg in split_math(markdown):
        if seg.kind in ("inline", "display"):
            opening, closing = (r"\(", r"\)") if seg.kind == "inline" else (r"\[", r"\]")
            formulas.append(f"{opening}{html.escape(seg.text.strip(), quote=False)}{closing}")
            pieces.append(f"\ue000{len(formulas) - 1}\ue001")
        else:
            pieces.append(seg.text)
    rendered = _markdown().render("".join(pieces)).strip()
    return _MATH_TOKEN.sub(lambda m: formulas[int(m.group(1))], rendered)


# -- what goes on each side -----------------------------------------------------------------


def card_text(question: Question) -> CardText:
    """Front and back for any kind; the back always ends with the explanation."""
    from quizapp.kinds import handler

    try:
        sides = handler(question.kind).anki_sides(question)
    except ValueError as err:  # a numeric answer that cannot be computed
        raise ExportProblem(str(err)) from None
    back = to_html(sides.answer)
    if sides.explanation:
        back += f'\n<div class="explanation">{to_html(sides.explanation)}</div>'
    return CardText(to_html(sides.front), back)


class ExportProblem(Exception):
    """One question that cannot be exported; the others still are."""


# -- notes, decks, package ------------------------------------------------------------------


@cache
def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": (
                    '{{FrontSide}}\n<hr id="answer">\n{{Answer}}\n'
                    '<div class="source">{{Source}} · {{Id}}</div>'
                ),
            }
        ],
        css=CSS,
    )


def deck_id(topic: str) -> int:
    """A fixed id per topic, so re-imports land in the same deck."""
    digest = hashlib.sha256(f"quizapp-deck:{topic}".encode()).hexdigest()
    return 1_500_000_000_000 + int(digest[:10], 16) % 100_000_000_000


def note_tags(question: Question) -> list[str]:
    """The topic first, then the question's own tags (Anki tags cannot hold spaces)."""
    tags = [question.topic] + ["_".join(t.split()) for t in question.tags]
    return list(dict.fromkeys(t for t in tags if t))


def make_note(question: Question) -> genanki.Note:
    text = card_text(question)
    return genanki.Note(
        model=note_model(),
        fields=[text.front, text.back, html.escape(question.source), question.id],
        tags=note_tags(question),
        guid=genanki.guid_for(question.id),
    )


def build_package(
    questions: Iterable[Question], topic_title: Callable[[str], str], report: ExportReport
) -> genanki.Package:
    """One deck per topic (`quizapp::<title>`), one note per question that exports."""
    decks: dict[str, genanki.Deck] = {}
    for question in questions:
        try:
            note = make_note(question)
        except ExportProblem as err:
            report.problems.append(str(err))
            continue
        deck = decks.get(question.topic)
        if deck is None:
            name = f"{DECK_ROOT}::{topic_title(question.topic)}"
            deck = decks[question.topic] = genanki.Deck(deck_id(question.topic), name)
        deck.add_note(note)
        report.notes += 1
    report.decks = len(decks)
    return genanki.Package(list(decks.values()))


def export(library: Library, out: Path, topics: Iterable[str] = ()) -> ExportReport:
    """Write the chosen topics (all when empty) to `out`, replacing it atomically."""
    wanted = set(topics)
    questions = [q for q in library.questions.values() if not wanted or q.topic in wanted]
    report = ExportReport()
    package = build_package(questions, library.topic_title, report)
    out = Path(out)
    temp = None
    try:
        temp = _new_file_beside(out)
        package.write_to_file(str(temp))
        os.replace(temp, out)
    except OSError as err:
        raise FileRoleError(ANKI_PACKAGE, f"cannot write {out}: {err.strerror or err}") from None
    finally:
        if temp is not None and temp.exists():
            temp.unlink()
    return report


def _new_file_beside(out: Path) -> Path:
    """An empty temporary file in `out`'s folder, with the permissions any new file gets
    (0666 less the umask). mkstemp would make it 0600, and renamed into place the package
    would be readable by its owner only."""
    for _ in range(100):
        temp = out.with_name(f".quizapp-{secrets.token_hex(6)}.apkg")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(out.parent))
