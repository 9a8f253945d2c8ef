"""Open questions: the student explains, then ticks the model answer's key points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
from quizapp.kinds.base import AnkiSides, ExamTask, Work, one_line
from quizapp.kinds.self_judged import SelfJudged


class OpenAnswer(SelfJudged):
    kind = Kind.OPEN
    label = "Explain"
    fields = frozenset({"model_answer", "rubric"})
    exam: ExamTask | None = ExamTask(points=3.0, minutes=5, work=Work.OPEN)
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


HANDLER = OpenAnswer()
