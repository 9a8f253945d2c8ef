"""One grading job as it travels from the app to the worker, with its defaults in one place.

Plain data, no torch: the app builds it, `to_line` turns it into one line of the worker
protocol, and the worker reads it back with `from_line`, which checks every field's type
so that a malformed job is refused with a message instead of failing deep inside.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 2048
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-6
OPS = ("grade", "selfcheck", "probe", "ping")


class BadJob(ValueError):
    """A protocol line that is not a well-formed job."""


@dataclass(frozen=True)
class Job:
    op: str
    function: str = ""
    reference: str = ""  # `module:function` in solvers/
    cases: str = ""  # `module:function` that builds the cases from a random.Random
    known_mistakes: tuple[tuple[str, str], ...] = ()  # (solver reference, hint)
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    seed: int = 0
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    source: str = ""
    id: str = ""  # chosen by the app; answers carry it back

    def to_line(self) -> str:
        return json.dumps(asdict(self)) + "\n"

    @classmethod
    def from_line(cls, line: str | bytes) -> Job:
        try:
            raw = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise BadJob(f"not JSON: {err}") from None
        if not isinstance(raw, dict):
            raise BadJob("a job must be a JSON object")
        values = {}
        for spec in fields(cls):
            if spec.name not in raw:
                continue
            values[spec.name] = _typed(spec.name, raw[spec.name], cls.__dataclass_fields__)
        if values.get("op") not in OPS:
            raise BadJob(f"unknown op {values.get('op')!r}")
        return cls(**values)


def _typed(name: str, value: Any, specs: dict) -> Any:
    """`value` converted to the field's type, or BadJob."""
    kind = specs[name].type
    if name == "known_mistakes":
        if not isinstance(value, list) or not all(
            isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) for x in m)
            for m in value
        ):
            raise BadJob("known_mistakes must be a list of [solver, hint] pairs")
        return tuple((m[0], m[1]) for m in value)
    accepted: dict[str, type | tuple[type, ...]] = {"str": str, "float": (int, float), "int": int}
    if isinstance(value, bool) or not isinstance(value, accepted[kind]):
        raise BadJob(f"{name} must be of type {kind}")
    checked: Any = value  # isinstance above narrowed it to `object`
    return float(checked) if kind == "float" else checked
