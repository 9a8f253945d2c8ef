"""Refusing a file that is not a healthy SQLite database before SQLite ever opens it."""

from __future__ import annotations

from pathlib import Path

from quizapp.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"


def damaged_message(path: Path, why: str) -> str:
    backups = path.with_name(path.name + ".backups")
    restore = (
        f"copy the newest file from {backups} over it"
        if backups.is_dir()
        else "restore it from a copy"
    )
    return (
        f"{path} is damaged ({why}). It was left untouched; {restore}, "
        "or move it aside and start with --db pointing to another file."
    )


def refuse_damaged_file(path: Path) -> None:
    """Read the SQLite header ourselves, so a foreign or cut-off file is never opened by
    SQLite (which would create -wal/-shm files beside it). An empty file is a new database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror}") from None
    if not header:
        return
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{path} is not a quizapp progress database (not an SQLite file). It was left "
            "untouched; move it aside or start with --db pointing to another file."
        )
    if len(header) < 100:
        raise StoreError(damaged_message(path, f"only {size} bytes long"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    if header_valid and pages and page_size * pages > size:
        raise StoreError(
            damaged_message(path, f"cut off: {size} of {page_size * pages} bytes present")
        )
