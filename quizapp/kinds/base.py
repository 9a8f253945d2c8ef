"""What a question kind provides: one protocol, implemented once per kind.

Everything that differs between kinds (the deck fields, how a question is built from
them, its name on screen and in a mock exam, its Anki note, the lines of a mock report,
its stub) is asked of the kind's handler, so a new kind is one new module here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizapp.decks.content import Kind, Question
    from quizapp.decks.fields import Fields
    from quizapp.decks.variants import Variant


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


@dataclass(frozen=True)
class ExamTask:
    """How a kind is asked in a mock exam."""

    points: float
    minutes: int
    noun: str  # how the report names it: "calculation"


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


def one_line(text: str) -> str:
    return " ".join(text.split())
