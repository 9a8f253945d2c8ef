"""Code questions: the student writes a function; the sandboxed grader compares it with
the reference solver on generated cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge
from quizapp.kinds.mistakes import known_mistakes


class Code:
    kind = Kind.CODE
    label = "Code"
    fields = frozenset({"function", "stub", "reference", "cases", "known_mistakes", "tolerance"})
    exam: ExamTask | None = ExamTask(points=4.0, minutes=10, noun="code")
    draws_variant = True
    judge = Judge.GRADER
    default_seconds = 180.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        function = fields.text("function")
        if not function.isidentifier():
            raise fields.error("'function' must be a Python function name")
        stub = fields.text("stub")
        if f"def {function}" not in stub:
            raise fields.error(f"'stub' must define 'def {function}(...)'")
        tol = fields.tolerance(("rtol", "atol"))
        return Question(
            **common,
            function=function,
            stub=stub + "\n",
            reference=fields.solver_ref(fields.get("reference"), "reference"),
            cases=fields.solver_ref(fields.get("cases"), "cases"),
            known_mistakes=known_mistakes(fields),
            rtol=tol.get("rtol", 1e-5),
            atol=tol.get("atol", 1e-6),
        )

    def anki_sides(self, question: Question) -> AnkiSides:
        from quizapp.decks.variants import solver_source

        q = question
        front = f"{q.prompt}\n\nWrite `{q.function}`:\n\n```python\n{q.stub.rstrip()}\n```"
        reference = solver_source(q.reference) or f"# see solvers: {q.reference}"
        answer = f"**A reference solution**\n\n```python\n{reference.rstrip()}\n```"
        return AnkiSides(front, answer, q.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        return ["**Your code:**", "", "```python", answer.rstrip(), "```", ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        from quizapp.decks.variants import solver_source

        source = solver_source(question.reference)
        if not source:
            return []
        return ["A reference solution:", "", "```python", source, "```", ""]

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        return None

    def stub(self, question: Question) -> str | None:
        return question.stub


HANDLER = Code()
