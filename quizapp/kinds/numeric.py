"""Numeric questions: the answer comes from a solver; the student's value is read with units."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Question
from quizapp.decks.fields import Fields, clean
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge, Work
from quizapp.kinds.mistakes import known_mistakes

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
    from quizapp.study.numeric_answers import NumericResult
    from quizapp.study.session import Outcome, StudySession


class Numeric:
    kind = Kind.NUMERIC
    label = "Calculate"
    fields = frozenset(
        {
            *("solver", "params", "vary", "generator", "unit", "solver_unit", "tolerance"),
            *("known_mistakes", "derived", "decimals", "slips"),
        }
    )
    exam: ExamTask | None = ExamTask(points=2.0, minutes=4, work=Work.CALCULATION)
    draws_variant = False
    judge = Judge.INSTANT
    default_seconds = 50.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        solver = fields.solver_ref(fields.get("solver"), "solver")
        generator = (
            fields.solver_ref(fields.get("generator"), "generator")
            if fields.get("generator")
            else ""
        )
        params = clean(fields.get("params", {}))
        if not isinstance(params, dict):
            raise fields.error("'params' must be a mapping of solver arguments")
        vary = clean(fields.get("vary", {}))
        if not isinstance(vary, dict):
            raise fields.error("'vary' must be a mapping from parameter to range")
        for name, spec in vary.items():
            _check_range(fields, name, spec)
        units = {}
        for name in ("unit", "solver_unit"):
            value = fields.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise fields.error(f"'{name}' must be a unit name such as 'GB'")
            units[name] = value
        tol = fields.tolerance(("rel", "abs"))
        decimals = fields.get("decimals")
        if decimals is not None and (
            isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12
        ):
            raise fields.error("'decimals' must be a whole number from 0 to 12")
        return Question(
            **common,
            known_mistakes=known_mistakes(fields),
            slips=_slips(fields),
            derived=_derived(fields),
            decimals=decimals,
            solver=solver,
            generator=generator,
            params=params,
            vary=vary,
            unit=units["unit"],
            solver_unit=units["solver_unit"],
            rel_tol=tol.get("rel", 0.01 if "abs" not in tol else 0.0),
            abs_tol=tol.get("abs", 0.0),
        )

    def anki_sides(self, question: Question) -> AnkiSides:
        from quizapp.decks.variants import SolverError, make_variant
        from quizapp.study.numeric_answers import format_value

        q = question
        try:
            variant = make_variant(q, fixed=True)
        except SolverError as err:
            raise ValueError(f"{q.id}: the answer could not be computed: {err}") from None
        assert variant.expected is not None  # a numeric variant always carries its answer
        answer = f"**Answer:** {format_value(variant.expected, q.unit, q.decimals)}"
        if q.is_parameterised:
            answer += "\n\n*(for the values above; quizapp draws new values on each review)*"
        return AnkiSides(variant.prompt, answer, variant.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        return [f"**Your answer:** {answer}", ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        from quizapp.decks.variants import format_param
        from quizapp.study.numeric_answers import format_value

        numbers = ", ".join(
            f"{name} = {format_param(value)}"
            for name, value in variant.params.items()
            if value is not None
        )
        lines = [f"Your numbers: {numbers}.", ""] if numbers else []
        answer = format_value(variant.expected or 0.0, question.unit, question.decimals)
        return [*lines, f"Answer: **{answer}**", ""]

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        from quizapp.study.numeric_answers import UNREADABLE

        result = judge(variant, answer)
        if result.correct:
            return ExamVerdict(True)
        if result.status == UNREADABLE:
            return ExamVerdict(False, f"{result.message} In an exam this scores no points.")
        return ExamVerdict(False, result.message)

    def stub(self, question: Question) -> str | None:
        return None

    def variant(self, question: Question, seed: int | None, *, fixed: bool) -> Variant:
        """Parameters drawn from `seed` (a fresh one if None) unless `fixed` or not
        parameterised; the answer comes from the solver, the explanation is worked through
        with the same numbers."""
        from quizapp.decks.variants import (
            Variant,
            draw_params,
            expected_value,
            render,
            worked_explanation,
        )

        if fixed:
            params = dict(question.params)
            seed = None
        else:
            if question.is_parameterised and seed is None:
                seed = random.SystemRandom().randrange(2**31)
            params = (
                draw_params(question, random.Random(seed))
                if question.is_parameterised
                else dict(question.params)
            )
        expected = expected_value(question, params)
        return Variant(
            question,
            seed if question.is_parameterised else None,
            params,
            render(question.prompt, params),
            worked_explanation(question, params, expected),
            expected,
        )

    def deep_check(self, question: Question, variants: int) -> list[str]:
        """Solvers, units, known mistakes, slips and the rendered text, for the sheet's
        numbers and `variants` drawn ones (see `quizapp.kinds.numeric_checks`)."""
        from quizapp.kinds.numeric_checks import check_numeric

        return check_numeric(question, variants)

    def answer_in_shell(
        self, session: StudySession, question: Question, text: str, seed: int | None
    ) -> Outcome | None:
        """`--seed` draws the numbers; without it the sheet's own numbers are asked."""
        session.show(question.id, seed=seed, fixed=seed is None)
        return session.answer_numeric(text)

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        """The slips the answer matches, judged again exactly as grading judged it."""
        if variant.expected is None:
            return ()
        return judge(variant, answer).misconceptions

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        """Only where one of its slips, alone, gives a value that cannot be mistaken for the
        right answer: a slip that gives the right answer for these numbers teaches nothing."""
        from quizapp.decks.variants import slip_candidates
        from quizapp.study.numeric_answers import indistinguishable

        question = variant.question
        if variant.expected is None:
            return True
        return any(
            misconception_id in c.misconceptions
            and c.size == 1
            and not indistinguishable(c.value, variant.expected, question.rel_tol, question.abs_tol)
            for c in slip_candidates(variant)
        )


def judge(variant: Variant, text: str) -> NumericResult:
    """What the student typed for this variant, read and judged (study and mock alike)."""
    from quizapp.decks.variants import slip_candidates
    from quizapp.study.numeric_answers import grade_numeric

    question = variant.question
    assert variant.expected is not None  # a numeric variant always carries its answer
    return grade_numeric(
        text,
        variant.expected,
        question.unit,
        question.rel_tol,
        question.abs_tol,
        mistakes=slip_candidates(variant),
        decimals=question.decimals,
    )


def _slips(fields: Fields) -> tuple[Any, ...]:
    """`slips:` as transformations of the parameters or the formula (quizapp.misconceptions)."""
    from quizapp.misconceptions.slips import SlipError, parse_slips

    try:
        return parse_slips(fields.get("slips"))
    except SlipError as err:
        raise fields.error(str(err), err.line or None) from None


def _derived(fields: Fields) -> dict[str, str]:
    """`derived`: {name: solver}, intermediate values the explanation may show."""
    raw = fields.get("derived")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fields.error("'derived' must map names to solvers, e.g. tokens: vit:patch_count")
    out = {}
    for name, ref in raw.items():
        if name == "__line__":
            continue
        if not isinstance(name, str) or not name.isidentifier() or name == "answer":
            raise fields.error(f"'derived.{name}' must be a name like 'tokens' (and not 'answer')")
        out[name] = fields.solver_ref(ref, f"derived.{name}", raw.get("__line__", fields.line))
    return out


def _check_range(fields: Fields, name: str, spec: Any) -> None:
    if isinstance(spec, list) and spec:
        return
    if isinstance(spec, dict) and {"min", "max"} <= set(spec) <= {"min", "max", "step"}:
        values = [spec["min"], spec["max"], spec.get("step", 1)]
        integers = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        if integers and spec["min"] <= spec["max"] and values[2] > 0:
            return
    raise fields.error(f"'vary.{name}' must be a list of values or {{min, max[, step]}} integers")


HANDLER = Numeric()
