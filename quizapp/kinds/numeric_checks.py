"""`quizapp check` for numeric questions: every solver is called, for the sheet's numbers and
for drawn variants; known mistakes and slips must be computable and must never be accepted
as the right answer; prompt and explanation must render with every value filled in.
"""

from __future__ import annotations

import math
import random
import re

from quizapp.decks.content import Question
from quizapp.decks.variants import (
    PLACEHOLDER,
    SolverError,
    draw_params,
    expected_value,
    make_variant,
    solver_value,
)
from quizapp.study.numeric_answers import indistinguishable, parse_unit


def check_numeric(question: Question, variants: int) -> list[str]:
    messages = []
    for name in ("unit", "solver_unit"):
        unit = getattr(question, name)
        if unit:
            try:
                parse_unit(unit)
            except ValueError as err:
                messages.append(f"'{name}': {err}")
    if messages:
        return messages
    try:
        expected_value(question, dict(question.params))
        for seed in range(variants if question.is_parameterised else 0):
            params = draw_params(question, random.Random(seed))
            expected_value(question, params)
    except SolverError as err:
        return [f"numeric answer not computable: {err}"]
    except TypeError as err:
        return [f"numeric answer not computable: {err}"]
    return _check_mistakes(question, variants) + _check_rendering(question, variants)


def _variant_params(question: Question, variants: int) -> list[dict]:
    """The sheet's params first, then the drawn ones that `check_numeric` already tried."""
    drawn = range(variants if question.is_parameterised else 0)
    return [dict(question.params)] + [draw_params(question, random.Random(s)) for s in drawn]


def _check_mistakes(question: Question, variants: int) -> list[str]:
    """Each known mistake is computable for every variant checked, differs from the right
    answer for the sheet's numbers (where it can never be shown otherwise), and is never
    accepted as right: a slip inside the tolerance of any variant is a wrong answer the
    student would be told is correct (and the schedule would believe)."""
    messages = []
    all_params = _variant_params(question, variants)
    rights = [expected_value(question, p) for p in all_params]
    for mistake in question.known_mistakes:
        try:
            values = [solver_value(question, mistake.solver, p) for p in all_params]
        except SolverError as err:
            messages.append(f"known mistake not computable: {err}")
            continue
        except TypeError as err:
            messages.append(f"known mistake {mistake.solver} not computable: {err}")
            continue
        if _same(values[0], rights[0]):
            messages.append(
                f"known mistake {mistake.solver} gives the right answer for the sheet's "
                f"numbers ({_full(values[0])}); make it a different slip"
            )
            continue
        for index, (value, right) in enumerate(zip(values, rights, strict=True)):
            if index and _same(value, right):
                continue  # these numbers make the slip harmless (heads = 1): not shown then
            if indistinguishable(value, right, question.rel_tol, question.abs_tol):
                which = "the sheet's numbers" if index == 0 else f"drawn variant {index - 1}"
                messages.append(
                    f"known mistake {mistake.solver} ({_full(value)}) lies inside the "
                    f"tolerance of the right answer ({_full(right)}) for {which}, so it is "
                    "accepted as right; tighten the tolerance or the draws"
                )
                break
    return messages + _check_slips(question, all_params)


def _check_slips(question: Question, all_params: list[dict]) -> list[str]:
    """Each declared slip is computable for every variant checked and differs from the right
    answer for at least one of them (else it could never be shown)."""
    from quizapp.misconceptions.slips import apply

    messages = []
    for slip in question.slips:
        if slip.unit_as:
            try:
                parse_unit(slip.unit_as)
            except ValueError as err:
                messages.append(f"slip at line {slip.line}: 'unit_as': {err}")
                continue
        missing = (set(slip.scale) | set(slip.add)) - set(all_params[0])
        if missing:
            names = ", ".join(sorted(missing))
            messages.append(f"slip at line {slip.line} changes unknown parameter(s) {names}")
            continue
        try:  # the sheet's numbers must work; a drawn variant may leave a slip out
            apply(question, all_params[0], (slip,))
        except (SolverError, TypeError, ValueError, ZeroDivisionError, IndexError) as err:
            messages.append(f"slip at line {slip.line} not computable: {err}")
            continue
        pairs = []
        for params in all_params:
            try:
                pairs.append((apply(question, params, (slip,)), expected_value(question, params)))
            except (SolverError, TypeError, ValueError, ZeroDivisionError, IndexError):
                continue
        if all(indistinguishable(v, r, question.rel_tol, question.abs_tol) for v, r in pairs):
            messages.append(
                f"slip at line {slip.line} ({slip.misconception}) never changes the answer"
            )
            continue
        for value, right in pairs:
            if not _same(value, right) and indistinguishable(
                value, right, question.rel_tol, question.abs_tol
            ):
                messages.append(
                    f"slip at line {slip.line} ({slip.misconception}, {_full(value)}) lies "
                    f"inside the tolerance of the right answer ({_full(right)}), so it is "
                    "accepted as right; tighten the tolerance or the draws"
                )
                break
    return messages


_UNKNOWN_FORMAT = re.compile(r"\{\{[^{}\n]*\|[^{}\n]*\}\}")


def _same(a: float, b: float) -> bool:
    """Equal up to floating-point noise: the slip changes nothing for these numbers."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _full(value: float) -> str:
    """A value with every digit that tells it apart (integers in full: 44140000)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.10g}"


def _check_rendering(question: Question, variants: int) -> list[str]:
    """`derived` values are computable and every `{{name}}` in prompt and explanation is
    filled, for the sheet's numbers and the drawn variants."""
    seeds = [None, *range(variants if question.is_parameterised else 0)]
    for seed in seeds:
        try:
            variant = make_variant(question, seed, fixed=seed is None)
        except (SolverError, TypeError) as err:
            return [f"explanation not computable: {err}"]
        for name, text in (("prompt", variant.prompt), ("explanation", variant.explanation)):
            left = PLACEHOLDER.search(text)
            if left:
                return [
                    f"'{name}' uses {left.group(0)}, which is neither a parameter, a "
                    "'derived' value nor {{answer}}"
                ]
            odd = _UNKNOWN_FORMAT.search(text)
            if odd:
                return [f"'{name}' uses {odd.group(0)}; the only format after '|' is 'and'"]
    return []
