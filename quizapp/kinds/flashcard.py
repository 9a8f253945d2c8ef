"""Flashcards: a front and a back; the student rates their own recall."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge


class Flashcard:
    kind = Kind.FLASHCARD
    label = "Flashcard"
    fields = frozenset({"back"})
    exam: ExamTask | None = None  # recall of a fact is not an exam task
    draws_variant = False
    judge = Judge.SELF
    default_seconds = 12.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        return Question(**common, back=fields.text("back"))

    def anki_sides(self, question: Question) -> AnkiSides:
        return AnkiSides(question.prompt, question.back, question.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        return [f"**Your answer:** {answer}", ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        return [question.back, ""]

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        return None

    def stub(self, question: Question) -> str | None:
        return None

    def variant(self, question: Question, seed: int | None, *, fixed: bool) -> Variant:
        from quizapp.decks.variants import as_written

        return as_written(question)

    def deep_check(self, question: Question, variants: int) -> list[str]:
        return []  # no solver to run: the text checks cover it

    def answer_in_shell(
        self, session: StudySession, question: Question, text: str, seed: int | None
    ) -> Outcome | None:
        return None  # recall is rated by the student, in the app

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        return ()  # no answer is judged, so none diagnosed

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        return True


HANDLER = Flashcard()
