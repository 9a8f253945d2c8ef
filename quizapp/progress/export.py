"""Progress as portable JSON: export, validate, and merge into a database.

The export holds cards, reviews, attempts, misconceptions and settings; importing merges it into a
database without duplicating reviews and without removing anything. Which fields a row
has, and what type each must be, come from the store's row dataclasses (`CardRow`,
`ReviewRow`, `AttemptRow`), so a column added there is exported and checked without a
second list to update here.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.errors import EXPORT_FILE, IMPORT_FILE, FileRoleError
from quizapp.progress.store import (
    SCHEMA_VERSION,
    AttemptRow,
    CardRow,
    ReviewRow,
    Store,
    iso,
    parse_iso,
)

if TYPE_CHECKING:
    import sqlite_utils

EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Field:
    """One exported column: its name, the type its JSON value must have, and whether it
    may be missing."""

    name: str
    kind: type  # datetime, int, float, str, or a StrEnum
    required: bool


# Log text that older databases (and raw bulk inserts) may hold as NULL, though the
# dataclass types it as text: accepted as missing on import.
_MAY_BE_MISSING = {"answer", "feedback"}


def _fields_of(row_type: type) -> tuple[Field, ...]:
    hints = typing.get_type_hints(row_type)
    out = []
    for f in fields(row_type):
        hint = hints[f.name]
        optional = False
        if isinstance(hint, types.UnionType):
            members = [m for m in hint.__args__ if m is not type(None)]
            optional = len(members) < len(hint.__args__)
            hint = members[0]
        kind = int if hint is bool else hint  # SQLite stores booleans as 0/1
        out.append(Field(f.name, kind, not optional and f.name not in _MAY_BE_MISSING))
    return tuple(out)


CARD_FIELDS = _fields_of(CardRow)
REVIEW_FIELDS = _fields_of(ReviewRow)
ATTEMPT_FIELDS = _fields_of(AttemptRow)
# Misconceptions (schema 4): what the answers showed, and each one's own FSRS card. An
# event's review id is not exported: ids differ between databases.
MISCONCEPTION_EVENT_FIELDS = (
    Field("misconception_id", str, True),
    Field("question_id", str, True),
    Field("at", datetime, True),
    Field("kind", str, True),
    Field("source", str, True),
    Field("previous_card", str, False),
)
MISCONCEPTION_CARD_FIELDS = (
    Field("misconception_id", str, True),
    Field("card", str, True),
    Field("due", datetime, True),
)
TABLES = {
    "cards": CARD_FIELDS,
    "reviews": REVIEW_FIELDS,
    "attempts": ATTEMPT_FIELDS,
    "misconception_events": MISCONCEPTION_EVENT_FIELDS,
    "misconception_cards": MISCONCEPTION_CARD_FIELDS,
}
# A review is the same review when all of these agree (ids differ between databases).
REVIEW_KEY = ("question_id", "reviewed_at", "mode", "rating", "answer")
ATTEMPT_KEY = ("question_id", "at", "source")
EVENT_KEY = ("misconception_id", "question_id", "at", "kind", "source")


def _names(columns: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


# -- export ----------------------------------------------------------------------------------


def export_progress(store: Store) -> dict[str, Any]:
    """Everything the student has done, as plain JSON-ready data."""
    db = store.conn

    def rows(table: str, order: str) -> list[dict[str, Any]]:
        names = _names(TABLES[table])
        sql = f"SELECT {', '.join(names)} FROM {table} ORDER BY {order}"
        return [dict(zip(names, row, strict=True)) for row in db.execute(sql).fetchall()]

    settings = {
        key: json.loads(value)
        for key, value in db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    }
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": iso(datetime.now(UTC)),
        "cards": rows("cards", "question_id"),
        "reviews": rows("reviews", "reviewed_at, id"),
        "attempts": rows("attempts", "at, id"),
        "misconception_events": rows("misconception_events", "at, id"),
        "misconception_cards": rows("misconception_cards", "misconception_id"),
        "settings": settings,
    }


def write_export(store: Store, path: Path) -> dict[str, int]:
    """Export to `path` atomically (a half-written export never replaces a good one)."""
    if path.is_dir() or not path.name:
        raise FileRoleError(EXPORT_FILE, f"{path} is a directory; give a file name for the export")
    if path.exists() and not path.is_file():
        # Replacing e.g. /dev/null with a regular file would break the whole system.
        raise FileRoleError(
            EXPORT_FILE, f"{path} is not a regular file; give a file name for the export"
        )
    data = export_progress(store)
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise FileRoleError(EXPORT_FILE, f"cannot write {path}: {err.strerror}") from None
    return {name: len(data[name]) for name in ("cards", "reviews", "attempts", "settings")}


# -- reading and checking --------------------------------------------------------------------


@dataclass
class ImportSummary:
    """How many rows an import added or updated; everything else was already there."""

    reviews_added: int = 0
    attempts_added: int = 0
    cards_added: int = 0
    cards_updated: int = 0
    settings_added: int = 0
    misconception_events_added: int = 0
    misconception_cards_added: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reviews_added} reviews, {self.attempts_added} attempts, "
            f"{self.cards_added} new cards ({self.cards_updated} updated to a later review), "
            f"{self.settings_added} settings added, "
            f"{self.misconception_events_added} misconception events"
        )


def read_export(path: Path) -> dict[str, Any]:
    """Load and validate an export file; the error names the file and what is wrong."""

    def problem(message: str) -> FileRoleError:
        return FileRoleError(IMPORT_FILE, message)

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise problem(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise problem(f"{path} is not a quizapp progress export (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise problem(f"{path} is not a quizapp progress export (invalid JSON: {err})") from None
    try:
        return validate_export(data)
    except ValueError as err:
        raise problem(f"{path} is not a usable quizapp progress export: {err}") from None


def validate_export(data: Any) -> dict[str, Any]:
    """Check the export's shape and every row's types; ValueError says what is wrong."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError(f'missing "format": "{EXPORT_FORMAT}"')
    version = data.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise ValueError(f"export version {version!r} is newer than this quizapp understands")
    for name, columns in TABLES.items():
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise ValueError(f"'{name}' must be a list")
        for index, row in enumerate(rows):
            _check_row(row, columns, f"{name}[{index}]")
    if not isinstance(data.get("settings", {}), dict):
        raise ValueError("'settings' must be a mapping")
    return data


def _check_row(row: Any, columns: tuple[Field, ...], where: str) -> None:
    if not isinstance(row, dict):
        raise ValueError(f"{where} must be a mapping")
    for column in columns:
        name, kind, value = column.name, column.kind, row.get(column.name)
        if value is None:
            if column.required:
                raise ValueError(f"{where} is missing '{name}'")
            continue
        if kind is datetime:
            if not isinstance(value, str):
                raise ValueError(f"{where}.{name} must be a timestamp")
            try:
                parse_iso(value)
            except (ValueError, OverflowError):
                raise ValueError(f"{where}.{name} is not a timestamp: {value!r}") from None
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{where}.{name} must be a whole number")
        elif kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{where}.{name} must be a number")
        elif isinstance(kind, type) and issubclass(kind, StrEnum):
            if value not in set(kind):
                allowed = ", ".join(kind)
                raise ValueError(f"{where}.{name} must be one of {allowed}, not {value!r}")
        elif not isinstance(value, str):
            raise ValueError(f"{where}.{name} must be text")


# -- merging ---------------------------------------------------------------------------------


def _normal_time(value: str | None) -> str | None:
    """Timestamps in the store's one format, so equal moments compare equal as text."""
    return iso(parse_iso(value)) if value else value


def _time_names(columns: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(column.name for column in columns if column.kind is datetime)


def _key(row: dict[str, Any], names: Iterable[str]) -> tuple:
    return tuple(row.get(name) for name in names)


def import_progress(store: Store, data: dict[str, Any]) -> ImportSummary:
    """Merge an export into `store` in one transaction; existing rows are never removed."""
    data = validate_export(data)
    summary = ImportSummary()
    db = store.db
    with store.write_transaction():
        summary.reviews_added = _merge_log(db, "reviews", REVIEW_KEY, data.get("reviews", []))
        summary.attempts_added = _merge_log(db, "attempts", ATTEMPT_KEY, data.get("attempts", []))
        _merge_cards(db, data.get("cards", []), summary)
        summary.misconception_events_added = _merge_log(
            db, "misconception_events", EVENT_KEY, data.get("misconception_events", [])
        )
        summary.misconception_cards_added = _merge_misconception_cards(
            db, data.get("misconception_cards", [])
        )
        for key, value in data.get("settings", {}).items():
            exists = db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone()
            if not exists:
                db.table("settings").insert({"key": str(key), "value": json.dumps(value)})
                summary.settings_added += 1
    return summary


def _merge_log(
    db: sqlite_utils.Database, table: str, key_names: tuple[str, ...], rows: list[dict[str, Any]]
) -> int:
    """Append the rows of an append-only log that are not there yet."""
    columns = TABLES[table]
    sql = f"SELECT {', '.join(key_names)} FROM {table}"
    seen = {tuple(row) for row in db.execute(sql).fetchall()}
    fresh = []
    for raw in rows:
        row = {name: raw.get(name) for name in _names(columns)}
        for name in _time_names(columns):
            row[name] = _normal_time(row[name])
        key = _key(row, key_names)
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    if fresh:
        db.table(table).insert_all(fresh)
    return len(fresh)


def _merge_misconception_cards(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> int:
    """Add the cards of misconceptions this database has none for; ours are kept (their
    events, merged above, are the record of what happened)."""
    added = 0
    for raw in rows:
        row = {name: raw.get(name) for name in _names(MISCONCEPTION_CARD_FIELDS)}
        row["due"] = _normal_time(row["due"])
        sql = "SELECT 1 FROM misconception_cards WHERE misconception_id = ?"
        if db.execute(sql, [row["misconception_id"]]).fetchone() is None:
            db.table("misconception_cards").insert(row)
            added += 1
    return added


def _merge_cards(
    db: sqlite_utils.Database, rows: list[dict[str, Any]], summary: ImportSummary
) -> None:
    """Add unknown cards; replace a card only with one reviewed later than ours."""
    for raw in rows:
        row = {name: raw.get(name) for name in _names(CARD_FIELDS)}
        for name in _time_names(CARD_FIELDS):
            row[name] = _normal_time(row[name])
        sql = "SELECT last_review, introduced_at FROM cards WHERE question_id = ?"
        mine = db.execute(sql, [row["question_id"]]).fetchone()
        if mine is None:
            db.table("cards").insert(row)
            summary.cards_added += 1
            continue
        mine_last, mine_introduced = mine
        if row["last_review"] and (mine_last is None or row["last_review"] > mine_last):
            row["introduced_at"] = min(mine_introduced, row["introduced_at"])
            db.table("cards").upsert(row, pk="question_id")
            summary.cards_updated += 1
