"""A student's progress made fit to hand to an instructor: pseudonymous, and without
anything the student wrote in their own words unless they ask.

The pseudonym is a random id drawn once per progress database and kept in its settings:
the same student's exports can be told apart from others' and followed over time, but
it is not derived from a name, a path or the machine, so it reveals nothing. Times are
kept as days only. Short answers to numeric and choice questions are kept (the class
report shows the most common wrong ones); explanations, code and the grader's feedback
on it are left out unless `include_text`. `quizapp.classreport` reads these files.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp.errors import EXPORT_FILE, FileRoleError
from quizapp.progress.store import Store

FORMAT = "quizapp-class-export"
VERSION = 1
ID_SETTING = "class_export_id"
SHORT_ANSWER_KINDS = {"numeric", "choice"}
MAX_SHORT_ANSWER = 60  # a longer "short answer" is free text in disguise: left out


def pseudonym(store: Store) -> str:
    """This database's pseudonymous id, drawn on first use (random, never from a name)."""
    current = store.get_setting(ID_SETTING)
    if isinstance(current, str) and current.startswith("s-"):
        return current
    new = "s-" + secrets.token_hex(6)
    store.set_setting(ID_SETTING, new)
    return new


def class_export(
    store: Store, kinds: dict[str, str], *, now: datetime, include_text: bool = False
) -> dict[str, Any]:
    """The export as a JSON-ready dict. `kinds` maps question ids to their kind (from the
    decks); the answers of questions the decks no longer have count, without their text."""
    reviews = []
    for review in store.reviews():
        kind = kinds.get(review.question_id, "")
        row: dict[str, Any] = {
            "question_id": review.question_id,
            "day": review.reviewed_at.date().isoformat(),
            "kind": kind,
            "rating": review.rating,
            "correct": review.correct,
            "mode": str(review.mode),
            "variant_seed": review.variant_seed,
            "duration_ms": review.duration_ms,
        }
        answer = review.answer or ""
        short = kind in SHORT_ANSWER_KINDS and len(answer) <= MAX_SHORT_ANSWER
        if answer and (short or include_text):
            row["answer"] = answer
        reviews.append(row)
    attempts = []
    for attempt in store.execute(
        "SELECT question_id, at, status, source, feedback FROM attempts ORDER BY at, id"
    ):
        row = {"question_id": attempt[0], "day": str(attempt[1])[:10], "status": attempt[2]}
        if include_text:
            row |= {"source": attempt[3] or "", "feedback": attempt[4] or ""}
        attempts.append(row)
    return {
        "format": FORMAT,
        "version": VERSION,
        "student": pseudonym(store),
        "exported_on": now.date().isoformat(),
        "includes_text": include_text,
        "reviews": reviews,
        "attempts": attempts,
        "misconceptions": _misconceptions(store),
    }


def _misconceptions(store: Store) -> list[dict[str, str]]:
    """Misconceptions the student's answers showed, where this database records them
    (`misconception_events`, newer schemas); [] where it does not."""
    table = store.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'misconception_events'"
    ).fetchone()
    if table is None:
        return []
    rows = store.execute(
        "SELECT misconception_id, question_id, substr(at, 1, 10) FROM misconception_events"
        " WHERE kind = 'seen' ORDER BY at, id"
    )
    return [{"misconception_id": m, "question_id": q, "day": d} for m, q, d in rows]


def write_class_export(
    store: Store, kinds: dict[str, str], path: Path, *, now: datetime, include_text: bool
) -> dict[str, Any]:
    data = class_export(store, kinds, now=now, include_text=include_text)
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise FileRoleError(EXPORT_FILE, f"cannot write {path}: {err.strerror}") from None
    return data
