"""Slips as transformations, so that combinations are derived instead of hand-listed.

A slip changes the question's parameters (`set: {heads: 1}`, `scale: {batch_size: 2}`,
`add: {pos: 1}`), swaps its formula (`solver:`, a function of the same parameters — this
is what a question's `known_mistakes` are), or changes the result (`times: 8` for bits
instead of bytes, `unit_as: MiB` for MiB written as MB, `then: log2` for log₂ instead of
ln). Any two slips of one question that do not both swap the formula combine into a third
slip, so "heads and layers both forgotten" needs no entry of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from quizapp.decks.content import Question


class SlipError(ValueError):
    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class Then(StrEnum):
    """Result transformations a slip may name with `then:`."""

    LOG2 = "log2"  # log₂ where ln belongs: ln x / ln 2
    LOG10 = "log10"  # log₁₀ where ln belongs
    NO_NEG_LOG = "no-neg-log"  # −log forgotten: the probability itself, e^(−loss)
    NEG_LOG_KEPT_SIGN = "log-sign"  # the minus sign dropped: log p instead of −log p
    PERCENT = "percent"  # a fraction written as a percentage
    FRACTION = "fraction"  # a percentage written as a fraction
    RECIPROCAL = "reciprocal"  # the ratio the wrong way round


_THEN: dict[Then, Callable[[float], float]] = {
    Then.LOG2: lambda v: v / math.log(2),
    Then.LOG10: lambda v: v / math.log(10),
    Then.NO_NEG_LOG: lambda v: math.exp(-v),
    Then.NEG_LOG_KEPT_SIGN: lambda v: -v,
    Then.PERCENT: lambda v: v * 100,
    Then.FRACTION: lambda v: v / 100,
    Then.RECIPROCAL: lambda v: 1 / v,
}


@dataclass(frozen=True)
class Slip:
    """One transformation; `misconception` is its catalogue id."""

    misconception: str
    hint: str = ""  # empty: the catalogue entry's title and right idea are shown
    solver: str = ""
    set: dict[str, Any] = field(default_factory=dict, hash=False)
    scale: dict[str, float] = field(default_factory=dict, hash=False)
    add: dict[str, float] = field(default_factory=dict, hash=False)
    times: float = 1.0
    then: Then | None = None
    unit_as: str = ""
    line: int = 0

    @property
    def changes_params(self) -> bool:
        return bool(self.set or self.scale or self.add)


class Candidate(NamedTuple):
    """A wrong value one slip (or two together) gives for a variant."""

    value: float
    hint: str
    misconceptions: tuple[str, ...]
    size: int = 1  # how many slips made it


_KEYS = {"misconception", "hint", "solver", "set", "scale", "add", "times", "then", "unit_as"}


def parse_slips(raw: Any) -> tuple[Slip, ...]:
    """The `slips:` list of a numeric question."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SlipError("'slips' must be a list of {misconception, set|scale|add|times|…}")
    return tuple(_parse_one(entry) for entry in raw)


def _parse_one(entry: Any) -> Slip:
    line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
    if not isinstance(entry, dict):
        raise SlipError("each slip must be a mapping with 'misconception'", line)
    unknown = set(entry) - _KEYS - {"__line__"}
    if unknown:
        raise SlipError(f"unknown field(s) in a slip: {', '.join(sorted(unknown))}", line)
    link = entry.get("misconception")
    if not isinstance(link, str) or not link:
        raise SlipError("each slip needs 'misconception' (a catalogue id)", line)
    maps = {}
    for name in ("set", "scale", "add"):
        value = entry.get(name) or {}
        if not isinstance(value, dict):
            raise SlipError(f"'{name}' must map parameter names to values", line)
        value = {k: v for k, v in value.items() if k != "__line__"}
        if name != "set" and not all(_is_number(v) for v in value.values()):
            raise SlipError(f"'{name}' values must be numbers", line)
        maps[name] = value
    times = entry.get("times", 1.0)
    if not _is_number(times) or times == 0:
        raise SlipError("'times' must be a non-zero number", line)
    then = entry.get("then")
    if then is not None and then not in tuple(Then):
        raise SlipError(f"'then' must be one of {', '.join(Then)}", line)
    hint = entry.get("hint", "") or ""
    solver = entry.get("solver", "") or ""
    unit_as = entry.get("unit_as", "") or ""
    if not all(isinstance(v, str) for v in (hint, solver, unit_as)):
        raise SlipError("'hint', 'solver' and 'unit_as' must be text", line)
    slip = Slip(
        misconception=link,
        hint=hint.strip(),
        solver=solver,
        times=float(times),
        then=Then(then) if then else None,
        unit_as=unit_as,
        line=line,
        **maps,
    )
    if not (slip.changes_params or slip.solver or slip.times != 1 or slip.then or unit_as):
        raise SlipError("a slip must change something: set, scale, add, solver, times, then…", line)
    return slip


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def question_slips(question: Question) -> tuple[Slip, ...]:
    """The question's known mistakes (formula slips) followed by its declared slips."""
    from_mistakes = tuple(
        Slip(misconception=m.misconception, hint=m.hint, solver=m.solver)
        for m in question.known_mistakes
    )
    return from_mistakes + tuple(question.slips)


def apply(question: Question, params: dict[str, Any], slips: tuple[Slip, ...]) -> float:
    """The value a student makes with these slips, in the question's unit."""
    from quizapp.decks.variants import solver_value

    changed = dict(params)
    for slip in slips:
        changed.update(slip.set)
        for name, factor in slip.scale.items():
            changed[name] = _same_type(changed[name], changed[name] * factor)
        for name, delta in slip.add.items():
            changed[name] = _same_type(changed[name], changed[name] + delta)
    solvers = [s.solver for s in slips if s.solver]
    value = solver_value(question, solvers[0] if solvers else question.solver, changed)
    for slip in slips:
        value *= slip.times
        if slip.then is not None:
            value = _THEN[slip.then](value)
        if slip.unit_as and question.unit:
            value = _in_other_unit(value, question.unit, slip.unit_as)
    return value


def _same_type(old: Any, new: Any) -> Any:
    return int(round(new)) if isinstance(old, int) and float(new).is_integer() else new


def _in_other_unit(value: float, unit: str, other: str) -> float:
    from quizapp.study.numeric_answers import parse_unit, registry

    return float(registry().Quantity(value, parse_unit(unit)).to(parse_unit(other)).magnitude)


def combinable(a: Slip, b: Slip) -> bool:
    """Two slips make a third unless they swap the formula both, or are the same idea."""
    if a.solver and b.solver:
        return False
    if a.misconception and a.misconception == b.misconception:
        return False
    return not (set(a.set) & (set(b.set) | set(b.scale) | set(b.add)))


def candidates(question: Question, params: dict[str, Any]) -> list[Candidate]:
    """Every single slip and every combination of two, with the values they give here.

    A slip whose computation fails for these params is left out: diagnosing is a bonus
    and must never stop grading (`quizapp check` reports such slips)."""
    from quizapp.misconceptions.catalogue import hint_for

    singles = question_slips(question)
    out: list[Candidate] = []
    groups: list[tuple[Slip, ...]] = [(s,) for s in singles]
    groups += [pair for pair in combinations(singles, 2) if combinable(*pair)]
    for group in groups:
        try:
            value = apply(question, params, group)
        except Exception:  # noqa: BLE001 - any failure just means no diagnosis
            continue
        if not math.isfinite(value):
            continue
        hints = [s.hint or hint_for(s.misconception) for s in group]
        hint = hints[0] if len(hints) == 1 else "Two slips at once: " + " And: ".join(hints)
        links = tuple(dict.fromkeys(s.misconception for s in group if s.misconception))
        out.append(Candidate(value, hint, links, len(group)))
    return out
