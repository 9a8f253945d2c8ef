"""Backups and JSON export/import: a round trip loses nothing, merging never duplicates or
removes, and a migration is always preceded by a backup."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

import quizapp.progress.store as store_module
from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.errors import StoreError
from quizapp.progress import backup
from quizapp.progress import export as progress_export
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

from procs import GOOD_DECKS


def studied(path, start: datetime, rounds: int = 3) -> Store:
    """A store with reviews, cards, an attempt and settings, as real use leaves it."""
    store = Store(path)
    store.set_setting("desired_retention", 0.85)
    store.set_setting("new_per_day", 7)
    now = [start]

    def clock():
        now[0] += timedelta(minutes=7)
        return now[0]

    session = StudySession(
        load_library([GOOD_DECKS], bundled=False),
        store,
        Planner.from_store(store, fuzz=False),
        question_ids=[],
        clock=clock,
    )
    for _ in range(rounds):
        session.show("basics.memory")
        session.answer_numeric("8796 GB")
        session.show("basics.flash")
        session.rate(Rating.Hard)
        session.show("basics.pick")
        session.answer_choice({1})
        session.show("basics.essay")
        session.submit_open("it keeps the variance at one — ünïcödé ✓")
        session.rate_rubric({0, 1})
    store.record_attempt("attention.x", start, "def f():\n    return 1\n", "incorrect", "**no**")
    return store


def comparable(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_export_import_round_trip_loses_nothing(tmp_path):
    original = studied(tmp_path / "a.db", datetime(2026, 3, 1, tzinfo=UTC))
    exported = progress_export.export_progress(original)
    assert len(exported["reviews"]) == 12 and len(exported["cards"]) == 4
    text = json.dumps(exported)  # survives JSON as text
    copy = Store(tmp_path / "b.db")
    summary = progress_export.import_progress(copy, json.loads(text))
    assert summary.reviews_added == 12 and summary.cards_added == 4
    assert comparable(progress_export.export_progress(copy)) == comparable(exported)


def test_import_twice_adds_nothing_and_merge_keeps_both_sides(tmp_path):
    mine = studied(tmp_path / "mine.db", datetime(2026, 3, 1, tzinfo=UTC), rounds=2)
    other = studied(tmp_path / "other.db", datetime(2026, 5, 1, tzinfo=UTC), rounds=1)
    mine_before = progress_export.export_progress(mine)
    theirs = progress_export.export_progress(other)
    progress_export.import_progress(mine, theirs)
    again = progress_export.import_progress(mine, theirs)
    assert (again.reviews_added, again.attempts_added, again.cards_added) == (0, 0, 0)
    merged = progress_export.export_progress(mine)

    def keys(data):
        return {tuple(r[k] for k in progress_export.REVIEW_KEY) for r in data["reviews"]}

    assert keys(merged) == keys(mine_before) | keys(theirs)
    assert len(merged["reviews"]) == len(mine_before["reviews"]) + len(theirs["reviews"])
    # The other side reviewed later, so its card states win (first seen stays ours);
    # our settings are kept.
    ours = {c["question_id"]: c for c in mine_before["cards"]}
    for card in merged["cards"]:
        later = next(c for c in theirs["cards"] if c["question_id"] == card["question_id"])
        assert card == later | {"introduced_at": ours[card["question_id"]]["introduced_at"]}
    assert merged["settings"] == mine_before["settings"]


def test_importing_an_older_export_never_rolls_cards_back(tmp_path):
    store = studied(tmp_path / "p.db", datetime(2026, 3, 1, tzinfo=UTC), rounds=1)
    old = progress_export.export_progress(store)
    session = StudySession(
        load_library([GOOD_DECKS], bundled=False),
        store,
        Planner.from_store(store, fuzz=False),
        question_ids=[],
        clock=lambda: datetime(2026, 4, 1, tzinfo=UTC),
    )
    session.show("basics.flash")
    session.rate(Rating.Easy)
    newer = progress_export.export_progress(store)
    summary = progress_export.import_progress(store, old)
    assert summary.cards_updated == 0
    assert comparable(progress_export.export_progress(store)) == comparable(newer)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"format": "something-else"}',
        b'{"format": "quizapp-progress", "version": 99}',
        b'{"format": "quizapp-progress", "version": 1, "reviews": [{"question_id": 3}]}',
        b'{"format": "quizapp-progress", "version": 1, "cards": [{"question_id": "a.b",'
        b' "state": 1, "due": "yesterday", "reps": 0, "lapses": 0, "introduced_at": "x"}]}',
        b"[" * 100_000,
    ],
)
def test_bad_import_files_change_nothing(tmp_path, capsys, content):
    store = studied(tmp_path / "p.db", datetime(2026, 3, 1, tzinfo=UTC), rounds=1)
    before = progress_export.export_progress(store)
    store.close()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["import-progress", str(bad), "--db", str(tmp_path / "p.db")]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    after = progress_export.export_progress(Store(tmp_path / "p.db"))
    assert comparable(after) == comparable(before)


def test_cli_round_trip_and_rolling_backups(tmp_path, capsys):
    db = tmp_path / "p.db"
    studied(db, datetime(2026, 3, 1, tzinfo=UTC)).close()
    for _ in range(4):
        assert main(["backup", "--db", str(db), "--keep", "3"]) == 0
    kept = backup.list_backups(db)
    assert len(kept) == 3 and all(p.parent == tmp_path / "p.db.backups" for p in kept)
    with sqlite3.connect(kept[-1]) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 12
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    out = tmp_path / "progress.json"
    assert main(["export-progress", str(out), "--db", str(db)]) == 0
    assert main(["import-progress", str(out), "--db", str(tmp_path / "new.db")]) == 0
    assert main(["import-progress", str(out), "--db", str(tmp_path / "new.db")]) == 0
    capsys.readouterr()
    assert comparable(progress_export.export_progress(Store(tmp_path / "new.db"))) == comparable(
        json.loads(out.read_text())
    )


def test_backup_refuses_to_overwrite(tmp_path):
    store = studied(tmp_path / "p.db", datetime(2026, 3, 1, tzinfo=UTC), rounds=1)
    target = tmp_path / "keep.db"
    target.write_text("precious")
    with pytest.raises(StoreError, match="already exists"):
        backup.copy_database(store.db.conn, target)
    assert target.read_text() == "precious"


def test_migration_of_an_existing_database_is_preceded_by_a_backup(tmp_path, monkeypatch):
    db = tmp_path / "p.db"
    studied(db, datetime(2026, 3, 1, tzinfo=UTC)).close()

    def add_column(database):
        database.execute("ALTER TABLE reviews ADD COLUMN device TEXT")

    future = store_module.SCHEMA_VERSION + 1
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", future)
    monkeypatch.setitem(store_module.MIGRATIONS, future, add_column)
    migrated = Store(db)
    assert migrated.db.execute("PRAGMA user_version").fetchone()[0] == future
    copies = backup.list_backups(db)
    assert len(copies) == 1 and copies[0].name.endswith(f"-before-v{future}.db")
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == future - 1
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 12
