"""Open questions: the student explains, then ticks the model answer's key points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge, Work, one_line


class OpenAnswer:
    kind = Kind.OPEN
    label = "Explain"
    fields = frozenset({"model_answer", "rubric"})
    exam: ExamTask | None = ExamTask(points=3.0, minutes=5, work=Work.OPEN)
    draws_variant = False
    judge = Judge.SELF
    default_seconds = 75.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        rubric = fields.get("rubric")
        if (
            not isinstance(rubric, list)
            or not rubric
            or not all(isinstance(r, str) for r in rubric)
        ):
            raise fields.error("'rubric' must be a non-empty list of key points")
        return Question(**common, model_answer=fields.text("model_answer"), rubric=tuple(rubric))

    def anki_sides(self, question: Question) -> AnkiSides:
        points = "\n".join(f"- {one_line(point)}" for point in question.rubric)
        answer = f"{question.model_answer}\n\n**Key points**\n\n{points}"
        return AnkiSides(question.prompt, answer, question.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        quoted = "\n".join("> " + line for line in answer.strip().splitlines())
        return ["**Your answer:**", "", quoted, ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        return [question.model_answer, ""]

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
        return None  # the student ticks the rubric, in the app

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        return ()  # a rubric is not diagnosed

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        return True


HANDLER = OpenAnswer()
