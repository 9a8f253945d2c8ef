"""One concrete instance of a question: drawn parameters, rendered text, expected answer.

Numeric answers always come from a function in `solvers/`; this module resolves such
references (see `quizapp.decks.solver_ref`) and calls them.
"""

from __future__ import annotations

import inspect
import math
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Question
from quizapp.decks.solver_ref import SolverError, SolverRef
from quizapp.kinds import handler

if TYPE_CHECKING:
    from collections.abc import Callable

# `{{name}}`, or `{{name|and}}` for a list written out in prose ("1, 4 and 100").
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*(and)\s*)?\}\}")


@dataclass(frozen=True)
class Variant:
    question: Question
    seed: int | None
    params: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""
    explanation: str = ""
    expected: float | None = None  # numeric questions: the answer in question.unit
    order: tuple[int, ...] = ()  # choice questions: option indices (file order) as shown

    def shown_options(self) -> list[int]:
        """Option indices in the order they are shown (file order for non-choice kinds)."""
        return list(self.order or range(len(self.question.options)))


def resolve_solver(ref: str) -> Callable[..., Any]:
    """The function a `module:function` reference names, looked up only inside the solvers."""
    return SolverRef.parse(ref).resolve()


def draw_params(question: Question, rng: random.Random) -> dict[str, Any]:
    """Fixed params, then `vary` draws, then the generator's values on top."""
    params = dict(question.params)
    for name, spec in question.vary.items():
        if isinstance(spec, list):
            params[name] = rng.choice(spec)
        else:
            params[name] = rng.randrange(spec["min"], spec["max"] + 1, spec.get("step", 1))
    if question.generator:
        drawn = resolve_solver(question.generator)(rng)
        if not isinstance(drawn, dict):
            raise SolverError(f"generator {question.generator} must return a dict of parameters")
        params.update(drawn)
    return params


def expected_value(question: Question, params: dict[str, Any]) -> float:
    """Call the solver and express its result in the unit the question asks in."""
    return solver_value(question, question.solver, params)


def solver_value(question: Question, ref: str, params: dict[str, Any]) -> float:
    """Call solver `ref` with the variant's params; its result (in `solver_unit`) expressed
    in the question's unit. The right answer and every known mistake go through here, so a
    mistake is compared with the student's answer exactly as the right answer is."""
    value = _number(ref, _call(ref, params), params)
    if question.solver_unit and question.unit and question.solver_unit != question.unit:
        from quizapp.study.numeric_answers import parse_unit, registry

        quantity = registry().Quantity(value, parse_unit(question.solver_unit))
        value = float(quantity.to(parse_unit(question.unit)).magnitude)
    if not math.isfinite(value):
        raise SolverError(f"solver {ref} gave {value} for {params}")
    return value


def _call(ref: str, params: dict[str, Any], *, accepted_only: bool = False) -> Any:
    function = resolve_solver(ref)
    if accepted_only:
        params = _accepted(function, params)
    try:
        return function(**params)
    except SolverError:
        raise
    except Exception as err:
        raise SolverError(f"solver {ref} failed: {type(err).__name__}: {err}") from None


def _accepted(function: Callable[..., Any], params: dict[str, Any]) -> dict[str, Any]:
    """The params `function` takes (all of them if it takes **kwargs)."""
    signature = inspect.signature(function)
    kinds = {p.kind for p in signature.parameters.values()}
    if inspect.Parameter.VAR_KEYWORD in kinds:
        return params
    return {k: v for k, v in params.items() if k in signature.parameters}


def _number(ref: str, raw: Any, params: dict[str, Any]) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SolverError(f"solver {ref} returned {type(raw).__name__}, not a number") from None
    if not math.isfinite(value):
        raise SolverError(f"solver {ref} gave {value} for {params}")
    return value


def mistake_values(variant: Variant) -> list[tuple[float, str]]:
    """(value in the question's unit, hint) of each known mistake and declared slip alone,
    for this variant; `slip_candidates` adds the combinations.

    A mistake whose solver fails for these params is left out: diagnosing is a bonus and
    must never stop grading (`quizapp check` reports such solvers)."""
    return [(c.value, c.hint) for c in slip_candidates(variant) if c.size == 1]


def slip_candidates(variant: Variant) -> list:
    """Every known mistake and declared slip, alone and in pairs, for this variant (see
    `quizapp.misconceptions.slips`): what grading compares a wrong answer with."""
    question = variant.question
    if not (question.known_mistakes or question.slips):
        return []
    from quizapp.misconceptions.slips import candidates

    return candidates(question, variant.params)


def derived_values(question: Question, params: dict[str, Any]) -> dict[str, float]:
    """The `derived` intermediate values for these params (solver units, not converted).

    Each solver gets only the params it accepts, so a general solver such as
    `vit:sequence_length` can name a step of a bigger calculation."""
    return {
        name: _number(ref, _call(ref, params, accepted_only=True), params)
        for name, ref in question.derived.items()
    }


def worked_explanation(question: Question, params: dict[str, Any], expected: float) -> str:
    """The explanation worked through with this variant's own numbers: params, `derived`
    values and `{{answer}}` (the expected value with its unit)."""
    values: dict[str, Any] = dict(params)
    if question.derived:
        values.update(derived_values(question, params))
    values["answer"] = answer_text(question, expected)
    return render(question.explanation, values)


def answer_text(question: Question, expected: float) -> str:
    """The expected value as `{{answer}}` shows it: with the question's `decimals` if it
    sets them, else like any other number; the unit attached."""
    if question.decimals is not None:
        from quizapp.study.numeric_answers import format_value

        return format_value(float(expected), question.unit, question.decimals)
    return f"{format_param(float(expected))} {question.unit}".strip()


def make_variant(question: Question, seed: int | None = None, *, fixed: bool = False) -> Variant:
    """A ready-to-show instance; parameterised questions draw from `seed` unless `fixed`.
    How a kind draws its showing is its handler's (`KindHandler.variant`)."""
    return handler(question.kind).variant(question, seed, fixed=fixed)


def as_written(question: Question) -> Variant:
    """The question exactly as the deck writes it: nothing drawn, nothing reordered."""
    return Variant(question, None, {}, question.prompt, question.explanation)


def render(text: str, params: dict[str, Any]) -> str:
    """Replace `{{name}}` with the parameter's value (matrices as nested brackets).

    The text is Markdown, so a value that starts a line is escaped where it would
    otherwise start a block: `1. Because…` must stay a sentence, not become a list.
    """

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        if match.group(2) == "and":
            value = format_in_prose(params[name])
        else:
            value = format_param(params[name])
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start : match.start()].strip():
            value = _keep_inline(value, text[match.end() :])
        return value

    return PLACEHOLDER.sub(substitute, text)


_ORDERED_MARKER = re.compile(r"(\d{1,9})[.)](?:[ \t]|$)", re.M)
_OTHER_MARKER = re.compile(r"(?:[-+*>]|#{1,6})(?:[ \t]|$)", re.M)


def _keep_inline(value: str, rest: str) -> str:
    """Escape a value at the start of a line that would begin a list, heading or quote."""
    line = value + rest
    ordered = _ORDERED_MARKER.match(line)
    if ordered and ordered.end(1) <= len(value):
        cut = ordered.end(1)
        return value[:cut] + "\\" + value[cut:]
    if _OTHER_MARKER.match(line) and value[:1] in "-+*>#":
        return "\\" + value
    return value


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_param(value: Any) -> str:
    """A value as text: whole numbers in full, others to 4 significant digits (1.342·10⁸)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = f"{value:.4g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            return f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPT)}"
        return text
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        rows = ["[" + ", ".join(format_param(x) for x in row) + "]" for row in value]
        return "[" + ", ".join(rows) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(format_param(x) for x in value) + "]"
    return str(value)


def format_in_prose(value: Any) -> str:
    """A list as a sentence would name it ("1, 4 and 100"); a counted set of things reads
    badly as a Python list. Anything else as `format_param` writes it."""
    if not isinstance(value, list) or any(isinstance(item, list) for item in value):
        return format_param(value)
    items = [format_param(item) for item in value]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def solver_source(ref: str) -> str:
    """The source text of a solver function with the imports, constants and helpers it
    uses, read from its file (nothing is imported): a reference solution to show."""
    try:
        return SolverRef.parse(ref).source(with_helpers=True)
    except SolverError:
        return ""
