"""`quizapp check`: the deep validation that loading skips to stay fast.

Loading already checks the schema, ids and that solver functions exist. Here every solver
is actually called: each numeric question must give a finite answer for its defaults and
for many drawn variants, and each code question's reference must pass its own cases.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from quizapp.content import Library, Problem, Question
from quizapp.grading.numeric import parse_unit
from quizapp.variants import SolverError, draw_params, expected_value, resolve_solver

VARIANTS_CHECKED = 20


def check_question(question: Question, variants: int = VARIANTS_CHECKED) -> list[str]:
    """Messages for everything wrong with one question (empty when it is fine)."""
    if question.kind == "numeric":
        return _check_numeric(question, variants)
    if question.kind == "code":
        return _check_code(question)
    return []


def _check_numeric(question: Question, variants: int) -> list[str]:
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
    return []


def _check_code(question: Question) -> list[str]:
    refs = [question.reference, question.cases, *(m.solver for m in question.known_mistakes)]
    try:
        for ref in refs:
            resolve_solver(ref)
    except SolverError as err:
        return [str(err)]
    from quizapp.grading.code import reference_passes_own_cases

    message = reference_passes_own_cases(question)
    return [f"reference does not pass its own cases: {message}"] if message else []


def check_library(
    library: Library, progress: Callable[[int, int], None] | None = None
) -> list[Problem]:
    """Loading problems plus every deep problem, in file order."""
    problems = list(library.problems)
    questions = list(library.questions.values())
    for index, question in enumerate(questions):
        for message in check_question(question):
            problems.append(Problem(question.path, question.line, question.id, message))
        if progress:
            progress(index + 1, len(questions))
    return sorted(problems, key=lambda p: (str(p.path), p.line))
