"""Copies of the progress database file, made with SQLite's online backup API.

The backup API gives a consistent copy even while another process writes. Rolling backups
live next to the database in `<db>.backups/` and only the newest few are kept. This module
needs only sqlite3, so the store can take a backup before a migration without importing
anything that imports the store; the JSON export of progress is `quizapp.progress.export`.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from quizapp.errors import BACKUP_FILE, FileRoleError

KEEP_BACKUPS = 5
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)(?:-(?P<reason>[a-z0-9-]+))?\.db$"
)


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
