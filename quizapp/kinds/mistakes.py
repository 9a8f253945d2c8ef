"""`known_mistakes` of numeric and code questions: a solver that computes a slip's value."""

from __future__ import annotations

from quizapp.decks.content import KnownMistake
from quizapp.decks.fields import Fields, misconception_link


def known_mistakes(fields: Fields) -> tuple[KnownMistake, ...]:
    """A list of {solver, hint}; the solver computes the wrong answer."""
    raw = fields.get("known_mistakes") or []
    if not isinstance(raw, list):
        raise fields.error("'known_mistakes' must be a list of {solver, hint}")
    mistakes = []
    for entry in raw:
        where = entry.get("__line__", fields.line) if isinstance(entry, dict) else fields.line
        if not isinstance(entry, dict) or not isinstance(entry.get("hint"), str):
            raise fields.error("each known mistake needs 'solver' and 'hint'", where)
        if not entry["hint"].strip():
            raise fields.error("a known mistake's 'hint' must not be empty", where)
        unknown = set(entry) - {"solver", "hint", "misconception", "__line__"}
        if unknown:
            raise fields.error(
                f"unknown field(s) in a known mistake: {', '.join(sorted(unknown))}", where
            )
        ref = fields.solver_ref(entry.get("solver"), "solver", where)
        link = misconception_link(fields, entry, where)
        mistakes.append(KnownMistake(ref, entry["hint"].strip(), link))
    return tuple(mistakes)
