"""Every text a student sees of a question, as the screens get it, and what went wrong in it.

A deck is Markdown with `$...$` math and `{{name}}` placeholders; by the time it reaches
a screen the math is Unicode and the placeholders are numbers. Mistakes in that chain
are easy to miss: an unknown `\\ne` reads as the word "ne", `$u = $` is no math at all and
shows its dollar signs, and a value at the start of a line can turn a sentence into a
list item. `text_problems` names such mistakes; `quizapp check` and the tests run it over
every field of every question for several variants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from quizapp.decks.content import Question
from quizapp.decks.math_segments import split_math
from quizapp.decks.mathtext import to_unicode, unknown_commands
from quizapp.decks.variants import PLACEHOLDER, SolverError, make_variant

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from markdown_it import MarkdownIt

    from quizapp.decks.variants import Variant

VARIANT_SEEDS = (0, 1, 2, 3)

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]{2,}")
_STRAY_DOLLAR = re.compile(r"(?<!\\)\$(?!\d)")  # `$5` is a price, `$u` an unclosed formula
_INLINE = {
    "em_open",
    "strong_open",
    "s_open",
    "link_open",
    "image",
    "code_inline",
    "html_inline",
}


@dataclass(frozen=True)
class Shown:
    """One text as written in the deck and as handed to the screen (Markdown)."""

    field: str  # "prompt", "option 2", "rubric point 1", …
    source: str
    text: str
    inline: bool = False  # one line of inline Markdown (titles, options, rubric points)


def shown_texts(question: Question, seeds: Iterable[int] = VARIANT_SEEDS) -> list[Shown]:
    """Every field of `question` as displayed: fixed numbers first, then each seed's."""
    out = [Shown("title", question.title, to_unicode(question.title), inline=True)]
    for field, source in (
        ("back", question.back),
        ("model answer", question.model_answer),
    ):
        if source:
            out.append(Shown(field, source, to_unicode(source)))
    for number, option in enumerate(question.options, start=1):
        out.append(Shown(f"option {number}", option.text, to_unicode(option.text), inline=True))
        if option.why:
            out.append(
                Shown(f"option {number} why", option.why, to_unicode(option.why), inline=True)
            )
    for number, point in enumerate(question.rubric, start=1):
        out.append(Shown(f"rubric point {number}", point, to_unicode(point), inline=True))
    for label, variant in _variants(question, seeds):
        out.append(Shown(f"prompt{label}", question.prompt, to_unicode(variant.prompt)))
        if question.explanation:
            out.append(
                Shown(f"explanation{label}", question.explanation, to_unicode(variant.explanation))
            )
    return out


def _variants(question: Question, seeds: Iterable[int]) -> Iterator[tuple[str, Variant]]:
    """The showing as written (the sheet's numbers), then, if numbers are drawn, each seed's."""
    if not question.is_parameterised:
        try:
            yield "", make_variant(question, fixed=True)
        except SolverError:
            return
        return
    for seed in (None, *seeds):
        try:
            variant = make_variant(question, seed, fixed=seed is None)
        except SolverError:
            continue  # reported on its own by the solver checks
        yield ("" if seed is None else f" (variant {seed})"), variant


def text_problems(shown: Shown) -> list[str]:
    """What the student would see wrongly in this one text (empty when it is fine)."""
    problems = []
    unknown = unknown_commands(shown.source)
    if unknown:
        names = ", ".join("\\" + name for name in unknown)
        problems.append(f"unknown LaTeX command {names} would show as plain letters")
    plain = _outside_code(shown.text)
    leftover = sorted(set(_LATEX_COMMAND.findall(plain)))
    if leftover:
        problems.append(f"LaTeX outside $…$ is shown as typed: {', '.join(leftover)}")
    if _STRAY_DOLLAR.search(plain):
        written = _outside_code(shown.source)
        where = written if _STRAY_DOLLAR.search(written) else plain
        at = _STRAY_DOLLAR.search(where)
        assert at is not None  # `where` is a text the pattern was just found in
        near = " ".join(where[max(0, at.start() - 15) : at.end() + 15].split())
        problems.append(
            f"a $ that starts no formula is shown as typed (near {near!r}); "
            "a formula must not start or end with a space: $u$ = … rather than $u = $"
        )
    added = _structure(shown.text) - _structure(_neutral(shown.source))
    if shown.inline:
        added |= _structure(shown.text) & _BLOCK_ONLY
    if added:
        what = ", ".join(sorted(_NAMES.get(kind, kind) for kind in added))
        problems.append(f"shown as Markdown {what} that the text does not mean")
    return problems


def question_problems(question: Question, seeds: Iterable[int] = VARIANT_SEEDS) -> list[str]:
    """`field: problem` for every distinct problem in any displayed text of `question`."""
    first: dict[tuple[str, str], str] = {}  # the same mistake in many variants: say it once
    for shown in shown_texts(question, seeds):
        for problem in text_problems(shown):
            first.setdefault((shown.field.split(" (variant")[0], problem), shown.field)
    return [f"{field}: {problem}" for (_, problem), field in first.items()]


# -- Markdown structure ---------------------------------------------------------------------

_BLOCK_ONLY = {
    "heading_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "fence",
    "code_block",
    "table_open",
    "hr",
}
_STRUCTURE = _BLOCK_ONLY | {"html_block"} | _INLINE  # what the source must already have
_NAMES = {
    "heading_open": "heading",
    "bullet_list_open": "bullet list",
    "ordered_list_open": "numbered list",
    "blockquote_open": "quote",
    "fence": "code block",
    "code_block": "indented code block",
    "table_open": "table",
    "hr": "rule",
    "html_block": "HTML",
    "em_open": "italics",
    "strong_open": "bold",
    "s_open": "strike-through",
    "link_open": "link",
    "image": "image",
    "code_inline": "code",
    "html_inline": "HTML",
}


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")  # what Textual's Markdown widget uses


def _structure(markdown: str) -> set[str]:
    """The kinds of Markdown structure in a text (lists, headings, emphasis, …)."""
    kinds = set()
    for token in _parser().parse(markdown):
        kinds.add(token.type)
        for child in token.children or ():
            kinds.add(child.type)
    return kinds & _STRUCTURE


def _neutral(source: str) -> str:
    """The source with each formula and placeholder replaced by a plain word.

    What is left is the structure the author wrote; anything more in the displayed text
    came from a formula or a value.
    """
    pieces = []
    for seg in split_math(source):
        if seg.kind in ("inline", "display"):
            pieces.append("m")
        elif seg.kind == "text":
            pieces.append(PLACEHOLDER.sub("v", seg.text))
        else:
            pieces.append(seg.text)
    return "".join(pieces)


def _outside_code(markdown: str) -> str:
    """The text without code blocks and code spans, where LaTeX and `$` are meant literally."""
    pieces = []
    for seg in split_math(markdown):
        if seg.kind == "text":
            pieces.append(seg.text)
        elif seg.kind != "code":
            pieces.append(f"${seg.text}$")  # math left unrendered is a problem too
    return "".join(pieces)
