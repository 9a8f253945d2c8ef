"""Code questions: the student writes a function; the sandboxed grader compares it with
the reference solver on generated cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge, Work
from quizapp.kinds.mistakes import known_mistakes


class Code:
    kind = Kind.CODE
    label = "Code"
    fields = frozenset({"function", "stub", "reference", "cases", "known_mistakes", "tolerance"})
    exam: ExamTask | None = ExamTask(points=4.0, minutes=10, work=Work.CODE)
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

    def variant(self, question: Question, seed: int | None, *, fixed: bool) -> Variant:
        """The text as written: a code question's seed draws its test cases in the grader."""
        from quizapp.decks.variants import as_written

        return as_written(question)

    def deep_check(self, question: Question, variants: int) -> list[str]:
        """Every solver it names resolves, and the reference passes its own cases."""
        from quizapp.decks.variants import SolverError, resolve_solver

        refs = [question.reference, question.cases, *(m.solver for m in question.known_mistakes)]
        try:
            for ref in refs:
                resolve_solver(ref)
        except SolverError as err:
            return [str(err)]
        from quizapp.grading.code import reference_passes_own_cases

        message = reference_passes_own_cases(question)
        return [f"reference does not pass its own cases: {message}"] if message else []

    def answer_in_shell(
        self, session: StudySession, question: Question, text: str, seed: int | None
    ) -> Outcome | None:
        return None  # code comes as a file (`quizapp grade ID FILE`), not as --answer

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        """The known mistake the grader recognised, read from the stored diagnosis."""
        from quizapp.misconceptions.hooks import code_links

        return code_links(variant.question, diagnosis)

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        return True


HANDLER = Code()
