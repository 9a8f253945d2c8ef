"""Damaged, foreign and newer progress files: a clear message naming the file, and the
file (and its directory) left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime

import pytest

from quizapp.errors import StoreError
from quizapp.progress.store import SCHEMA_VERSION, ReviewRow, Store

from procs import run_cli


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quizapp_db(path, reviews: int = 3000):
    """A real progress file in rollback-journal-free state, big enough to cut."""
    store = Store(path)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "question_id": f"basics.q{i % 40}",
            "reviewed_at": when.isoformat(),
            "rating": 3,
            "correct": 1,
            "answer": "x" * 100,
            "duration_ms": 1000,
            "mode": "review",
        }
        for i in range(reviews)
    ]
    store.insert_reviews(rows)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def truncated(path):
    data = quizapp_db(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def header_only(path):
    path.write_bytes(quizapp_db(path).read_bytes()[:100])


def random_bytes(path):
    path.write_bytes(os.urandom(64 * 1024))


def text_file(path):
    path.write_text("my lecture notes\n" * 500)


def damaged_page(path):
    data = bytearray(quizapp_db(path).read_bytes())
    page = 4096
    data[3 * page : 5 * page] = os.urandom(2 * page)  # scribble over two b-tree pages
    path.write_bytes(bytes(data))


def foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()


def newer_schema(path):
    quizapp_db(path, reviews=10)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.commit()
    conn.close()


CASES = {
    "truncated": (truncated, "damaged"),
    "header only": (header_only, "damaged"),
    "random bytes": (random_bytes, "not a quizapp progress database"),
    "text file": (text_file, "not a quizapp progress database"),
    "damaged page": (damaged_page, "damaged"),
    "foreign sqlite": (foreign_sqlite, "not a quizapp one"),
    "newer schema": (newer_schema, "newer quizapp"),
}


def listing(folder) -> dict[str, str]:
    return {p.name: digest(p) for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_store_refuses_and_leaves_file_untouched(tmp_path, name):
    make, words = CASES[name]
    path = tmp_path / "progress.db"
    make(path)
    before = listing(tmp_path)
    with pytest.raises(StoreError) as raised:
        Store(path)
    message = str(raised.value)
    assert str(path) in message and words in message
    assert "untouched" in message
    assert listing(tmp_path) == before  # not changed, not deleted, no -wal/-shm created


@pytest.mark.parametrize("name", ["truncated", "random bytes", "newer schema"])
def test_cli_says_what_to_do_without_a_traceback(tmp_path, name):
    make, words = CASES[name]
    path = tmp_path / "progress.db"
    make(path)
    before = listing(tmp_path)
    for command in (["stats"], ["backup"], ["export-progress", str(tmp_path / "out.json")]):
        result = run_cli(*command, "--db", str(path))
        err = result.stderr.decode()
        assert result.returncode == 1
        assert str(path) in err and words in err and "Traceback" not in err
    assert listing(tmp_path) == before


def test_damaged_message_points_to_rolling_backups(tmp_path):
    path = tmp_path / "progress.db"
    quizapp_db(path)
    assert run_cli("backup", "--db", str(path)).returncode == 0
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(StoreError, match=r"progress\.db\.backups"):
        Store(path)


def test_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "progress.db"
    path.touch()
    store = Store(path)
    assert store.review_count() == 0
    store.record(ReviewRow("basics.flash", datetime.now(UTC), 3, None, "", 10))
    store.close()
    assert Store(path).review_count() == 1
