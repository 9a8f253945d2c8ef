"""Flashcards: a front and a back; the student rates their own recall."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
from quizapp.kinds.base import AnkiSides, ExamTask
from quizapp.kinds.self_judged import SelfJudged


class Flashcard(SelfJudged):
    kind = Kind.FLASHCARD
    label = "Flashcard"
    fields = frozenset({"back"})
    exam: ExamTask | None = None  # recall of a fact is not an exam task
    default_seconds = 12.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        return Question(**common, back=fields.text("back"))

    def anki_sides(self, question: Question) -> AnkiSides:
        return AnkiSides(question.prompt, question.back, question.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        return [f"**Your answer:** {answer}", ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        return [question.back, ""]


HANDLER = Flashcard()
