"""Reading one question's fields from a deck mapping, with errors that say where.

Every kind's parser (`quizapp.kinds`) reads its fields through a `Fields`, so the
checks on text, tolerances, solver references and known mistakes are written once and
every message names the line and the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quizapp.decks.solver_ref import SolverError, SolverRef

MISCONCEPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class DeckError(Exception):
    """A problem that stops one question (or one file) from loading."""

    def __init__(self, line: int, message: str, question_id: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.question_id = question_id


@dataclass(frozen=True)
class Fields:
    """One question's raw mapping, its line in the deck file and its id."""

    item: dict[str, Any]
    line: int
    qid: str

    def error(self, message: str, line: int | None = None) -> DeckError:
        return DeckError(self.line if line is None else line, message, self.qid)

    def get(self, name: str, default: Any = None) -> Any:
        return self.item.get(name, default)

    def text(self, name: str, required: bool = True) -> str:
        value = self.item.get(name)
        if value is None:
            if required:
                raise self.error(f"missing field '{name}'")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.error(f"'{name}' must be text, not {type(value).__name__}")
        return str(value).strip()

    def tolerance(self, keys: tuple[str, str]) -> dict[str, float]:
        raw = self.item.get("tolerance")
        if raw is None:
            return {}
        if not isinstance(raw, dict) or set(raw) - {*keys, "__line__"}:
            raise self.error(f"'tolerance' must be a mapping with {' and/or '.join(keys)}")
        out = {}
        for key in keys:
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise self.error(f"tolerance '{key}' must be a non-negative number")
                out[key] = float(value)
        return out

    def solver_ref(self, ref: Any, what: str, line: int | None = None) -> str:
        """Check `module:function` names a public function in solvers/, without importing it."""
        where = self.line if line is None else line
        if not isinstance(ref, str):
            raise DeckError(
                where, f"missing field '{what}' (a solver such as 'vit:patch_count')", self.qid
            )
        try:
            parsed = SolverRef.parse(ref)
        except SolverError:
            raise DeckError(
                where, f"'{what}' must be 'module:function' inside solvers/, got {ref!r}", self.qid
            ) from None
        try:
            parsed.validate()
        except SolverError as err:
            raise DeckError(where, str(err), self.qid) from None
        return ref


def misconception_link(fields: Fields, entry: dict[str, Any], line: int) -> str:
    """An optional `misconception: id`; whether the id exists is `quizapp check`'s job."""
    link = entry.get("misconception", "")
    if link is None:
        return ""
    if not isinstance(link, str) or (link and not MISCONCEPTION_ID.match(link)):
        raise fields.error("'misconception' must be a catalogue id such as heads-left-out", line)
    return link


def clean(value: Any) -> Any:
    """Drop the loader's line markers from nested data."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
