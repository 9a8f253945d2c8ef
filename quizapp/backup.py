"""Copies of the student's progress: SQLite backups and a portable JSON export.

Backups use SQLite's online backup API, so they are consistent even while another
process writes. Rolling backups live next to the database in `<db>.backups/` and only the
newest few are kept. The JSON export holds cards, reviews, attempts and settings; importing
merges it into a database without duplicating reviews and without removing anything.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.errors import BACKUP_FILE, EXPORT_FILE, IMPORT_FILE, FileRoleError, StoreError
from quizapp.store import SCHEMA_VERSION, Store, iso, parse_iso

KEEP_BACKUPS = 5
EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)(?:-(?P<reason>[a-z0-9-]+))?\.db$"
)

CARD_FIELDS = (
    "question_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "introduced_at",
)
REVIEW_FIELDS = (
    "question_id",
    "reviewed_at",
    "rating",
    "correct",
    "answer",
    "duration_ms",
    "mode",
    "variant_seed",
)
ATTEMPT_FIELDS = ("question_id", "at", "source", "status", "feedback")
# A review is the same review when all of these agree (ids differ between databases).
REVIEW_KEY = ("question_id", "reviewed_at", "mode", "rating", "answer")
ATTEMPT_KEY = ("question_id", "at", "source")


# -- SQLite backups --------------------------------------------------------------------------


def backups_dir(db_path: Path) -> Path:
    """Where rolling backups of `db_path` are kept: a folder beside it."""
    return db_path.with_name(db_path.name + ".backups")


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the open database `source` to `dest` (online backup)."""
    if dest.exists() or not dest.name:
        raise FileRoleError(BACKUP_FILE, f"{dest} already exists; choose another backup file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    target = sqlite3.connect(str(partial))
    try:
        source.backup(target)
    except sqlite3.Error as err:
        target.close()
        partial.unlink(missing_ok=True)
        raise FileRoleError(BACKUP_FILE, f"could not back up to {dest}: {err}") from None
    target.close()
    partial.replace(dest)  # a backup file is either complete or absent
    return dest


def backup_file(db_path: Path, dest: Path) -> Path:
    """Back up the database file at `db_path` without opening it for writing."""
    if not db_path.is_file():
        raise StoreError(f"{db_path} does not exist; there is nothing to back up")
    source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=15.0)
    try:
        return copy_database(source, dest)
    finally:
        source.close()


def rolling_backup(
    source: sqlite3.Connection,
    db_path: Path,
    *,
    reason: str = "",
    keep: int = KEEP_BACKUPS,
    now: datetime | None = None,
) -> Path:
    """Back up into `<db>.backups/`, then delete all but the `keep` newest backups there."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{reason}" if reason else ""
    folder = backups_dir(db_path)
    dest = folder / f"{db_path.stem}-{stamp}{suffix}.db"
    copy_database(source, dest)
    prune_backups(db_path, keep)
    return dest


def list_backups(db_path: Path) -> list[Path]:
    """This database's rolling backups, oldest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match and match["stem"] == db_path.stem and path.is_file():
            found.append((match["stamp"], path.name, path))
    return [path for _, _, path in sorted(found)]


def prune_backups(db_path: Path, keep: int) -> list[Path]:
    """Delete the oldest rolling backups beyond `keep`; only files this module named."""
    backups = list_backups(db_path)
    doomed = backups[: max(0, len(backups) - max(1, keep))]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# -- JSON export -----------------------------------------------------------------------------


def export_progress(store: Store) -> dict[str, Any]:
    """Everything the student has done, as plain JSON-ready data."""
    db = store.conn

    def rows(table: str, fields: tuple[str, ...], order: str) -> list[dict[str, Any]]:
        sql = f"SELECT {', '.join(fields)} FROM {table} ORDER BY {order}"
        return [dict(zip(fields, row, strict=True)) for row in db.execute(sql).fetchall()]

    settings = {
        key: json.loads(value)
        for key, value in db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    }
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": iso(datetime.now(UTC)),
        "cards": rows("cards", CARD_FIELDS, "question_id"),
        "reviews": rows("reviews", REVIEW_FIELDS, "reviewed_at, id"),
        "attempts": rows("attempts", ATTEMPT_FIELDS, "at, id"),
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


# -- JSON import -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """How many rows an import added or updated; everything else was already there."""

    reviews_added: int = 0
    attempts_added: int = 0
    cards_added: int = 0
    cards_updated: int = 0
    settings_added: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reviews_added} reviews, {self.attempts_added} attempts, "
            f"{self.cards_added} new cards ({self.cards_updated} updated to a later review), "
            f"{self.settings_added} settings added"
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
    for name, fields in (
        ("cards", CARD_FIELDS),
        ("reviews", REVIEW_FIELDS),
        ("attempts", ATTEMPT_FIELDS),
    ):
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise ValueError(f"'{name}' must be a list")
        for index, row in enumerate(rows):
            _check_row(row, fields, f"{name}[{index}]")
    if not isinstance(data.get("settings", {}), dict):
        raise ValueError("'settings' must be a mapping")
    return data


_TIME_FIELDS = {"due", "last_review", "introduced_at", "reviewed_at", "at"}
_INT_FIELDS = {"state", "step", "reps", "lapses", "rating", "correct", "duration_ms"}
_INT_FIELDS |= {"variant_seed"}
_FLOAT_FIELDS = {"stability", "difficulty"}
_REQUIRED = {"question_id", "state", "due", "reps", "lapses", "introduced_at", "reviewed_at"}
_REQUIRED |= {"duration_ms", "mode", "at", "source", "status"}


def _check_row(row: Any, fields: tuple[str, ...], where: str) -> None:
    if not isinstance(row, dict):
        raise ValueError(f"{where} must be a mapping")
    for name in fields:
        value = row.get(name)
        if value is None:
            if name in _REQUIRED:
                raise ValueError(f"{where} is missing '{name}'")
            continue
        if name in _TIME_FIELDS:
            if not isinstance(value, str):
                raise ValueError(f"{where}.{name} must be a timestamp")
            try:
                parse_iso(value)
            except (ValueError, OverflowError):
                raise ValueError(f"{where}.{name} is not a timestamp: {value!r}") from None
        elif name in _INT_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{where}.{name} must be a whole number")
        elif name in _FLOAT_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{where}.{name} must be a number")
        elif not isinstance(value, str):
            raise ValueError(f"{where}.{name} must be text")


def _normal_time(value: str | None) -> str | None:
    """Timestamps in the store's one format, so equal moments compare equal as text."""
    return iso(parse_iso(value)) if value else value


def _key(row: dict[str, Any], fields: Iterable[str]) -> tuple:
    return tuple(row.get(name) for name in fields)


def import_progress(store: Store, data: dict[str, Any]) -> ImportSummary:
    """Merge an export into `store` in one transaction; existing rows are never removed."""
    data = validate_export(data)
    summary = ImportSummary()
    db = store.db
    with store.write_transaction():
        summary.reviews_added = _merge_log(
            db, "reviews", REVIEW_FIELDS, REVIEW_KEY, data.get("reviews", []), ("reviewed_at",)
        )
        summary.attempts_added = _merge_log(
            db, "attempts", ATTEMPT_FIELDS, ATTEMPT_KEY, data.get("attempts", []), ("at",)
        )
        _merge_cards(db, data.get("cards", []), summary)
        for key, value in data.get("settings", {}).items():
            exists = db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone()
            if not exists:
                db["settings"].insert({"key": str(key), "value": json.dumps(value)})
                summary.settings_added += 1
    return summary


def _merge_log(db, table, fields, key_fields, rows, time_fields) -> int:
    """Append the rows of an append-only log that are not there yet."""
    sql = f"SELECT {', '.join(key_fields)} FROM {table}"
    seen = {tuple(row) for row in db.execute(sql).fetchall()}
    fresh = []
    for raw in rows:
        row = {name: raw.get(name) for name in fields}
        for name in time_fields:
            row[name] = _normal_time(row[name])
        key = _key(row, key_fields)
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    if fresh:
        db[table].insert_all(fresh)
    return len(fresh)


def _merge_cards(db, rows, summary: ImportSummary) -> None:
    """Add unknown cards; replace a card only with one reviewed later than ours."""
    for raw in rows:
        row = {name: raw.get(name) for name in CARD_FIELDS}
        for name in ("due", "last_review", "introduced_at"):
            row[name] = _normal_time(row[name])
        sql = "SELECT last_review, introduced_at FROM cards WHERE question_id = ?"
        mine = db.execute(sql, [row["question_id"]]).fetchone()
        if mine is None:
            db["cards"].insert(row)
            summary.cards_added += 1
            continue
        mine_last, mine_introduced = mine
        if row["last_review"] and (mine_last is None or row["last_review"] > mine_last):
            row["introduced_at"] = min(mine_introduced, row["introduced_at"])
            db["cards"].upsert(row, pk="question_id")
            summary.cards_updated += 1
