"""What the kinds a student judges themselves (flashcards, open answers) share: nothing is
drawn, run or diagnosed, and `quizapp grade` leaves them to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.kinds.base import ExamVerdict, Judge

if TYPE_CHECKING:
    from quizapp.decks.content import Question
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession


class SelfJudged:
    """The part of a handler that is the same for every self-judged kind."""

    draws_variant = False
    judge = Judge.SELF

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        return None  # judged by the student (rubric) or not asked in exams

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
        return None  # the student rates recall or ticks the rubric, in the app

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        return ()  # no answer is judged, so none is diagnosed

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        return True
