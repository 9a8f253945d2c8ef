"""What a question kind provides: one protocol, implemented once per kind.

Everything that differs between kinds (the deck fields, how a question is built from
them and drawn for one showing, what `quizapp check` runs, its name on screen and in a
mock exam, its Anki note, the lines of a mock report, its stub, how `quizapp grade` takes
its answer, which misconceptions an answer shows) is asked of the kind's handler, so a new
kind is one new module here (and a line in `quizapp.kinds.handler`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizapp.decks.content import Kind, Question
    from quizapp.decks.fields import Fields
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession


class Judge(StrEnum):
    """Who decides whether an answer is right."""

    SELF = "self"  # the student: a flashcard's rating, an open answer's rubric points
    INSTANT = "instant"  # judged on the spot from what was typed or chosen
    GRADER = "grader"  # the sandboxed grader runs the code


@dataclass(frozen=True)
class ExamVerdict:
    """An answer judged on the spot in a mock exam: all points or none, and why."""

    correct: bool
    diagnosis: str = ""


class Work(StrEnum):
    """The kinds of work a mock exam asks for, as the course's exercise sheet does: its slots
    name these (`quizapp.mock.assemble.SHEET`), never a question kind, so a new kind joins
    the exam by naming the work it does in its `ExamTask`. The value is the report's noun."""

    CALCULATION = "calculation"
    CODE = "code"
    CHOICE = "choice"
    OPEN = "open"


@dataclass(frozen=True)
class ExamTask:
    """How a kind is asked in a mock exam."""

    points: float
    minutes: int
    work: Work  # the sheet's slots asking for this work take this kind


@dataclass(frozen=True)
class AnkiSides:
    """A note's Markdown: the front, the answer, the explanation under it."""

    front: str
    answer: str
    explanation: str


class KindHandler(Protocol):
    kind: Kind
    label: str  # the study and mock screens' title: "Calculate"
    fields: frozenset[str]  # deck fields beyond the common ones
    exam: ExamTask | None  # None: not asked in mock exams
    draws_variant: bool  # each showing is drawn from a seed (option order, test cases)
    judge: Judge
    default_seconds: float  # a typical answer's time, until the student's own are known

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        """The question, from its checked fields; DeckError names what is wrong."""
        ...

    def anki_sides(self, question: Question) -> AnkiSides: ...

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        """The student's answer as Markdown lines of a mock report."""
        ...

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        """The worked solution as Markdown lines of a mock report."""
        ...

    def stub(self, question: Question) -> str | None:
        """The code a student starts from (None: this kind is not answered in code)."""
        ...

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        """A mock exam answer judged on the spot (None unless `judge` is INSTANT)."""
        ...

    def variant(self, question: Question, seed: int | None, *, fixed: bool) -> Variant:
        """One showing of the question (`quizapp.decks.variants.make_variant` asks here):
        drawn numbers, a shuffled option order, or the text as written."""
        ...

    def deep_check(self, question: Question, variants: int) -> list[str]:
        """What `quizapp check` finds wrong by running this kind's solvers (loading only
        checks that they exist); `variants` drawn variants are tried where numbers vary."""
        ...

    def answer_in_shell(
        self, session: StudySession, question: Question, text: str, seed: int | None
    ) -> Outcome | None:
        """`quizapp grade ID --answer TEXT [--seed N]`: the question shown in `session` and
        TEXT judged (None: this kind is not answered with --answer)."""
        ...

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        """Catalogue ids a stored (non-empty) answer shows, worked out again from the answer
        and its diagnosis, so a mock report and its recording agree with grading."""
        ...

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        """Whether a wrong answer to this variant can show the misconception at all (the
        drill skips variants where it cannot)."""
        ...


def one_line(text: str) -> str:
    return " ".join(text.split())
