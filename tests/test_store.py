"""The progress database: real SQLite files, reopened, with the guarantees the app relies on."""

import sqlite3
from datetime import timedelta

import pytest

from quizapp.errors import StoreError
from quizapp.progress.store import SCHEMA_VERSION, CardRow, ReviewRow, Store


def _review(clock, qid="basics.flash", rating=3):
    return ReviewRow(qid, clock(), rating, True, "8.8 TB", 1200)


def _card(clock, qid="basics.flash"):
    now = clock()
    return CardRow(qid, 2, None, 3.2, 5.1, now + timedelta(days=3), now, 1, 0, now)


def test_review_and_card_survive_reopening(db_path, clock):
    store = Store(db_path)
    store.record(_review(clock), _card(clock))
    store.close()
    reopened = Store(db_path)
    assert [r.answer for r in reopened.reviews()] == ["8.8 TB"]
    card = reopened.card("basics.flash")
    assert card.due == clock() + timedelta(days=3)
    assert card.due.tzinfo is not None
    assert reopened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_review_log_is_append_only(db_path, clock):
    store = Store(db_path)
    store.record(_review(clock))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE reviews SET rating = 4")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM reviews")


def test_failed_card_write_rolls_back_the_review(db_path, clock):
    store = Store(db_path)
    broken = CardRow(
        "basics.flash", None, None, None, None, clock(), None, 1, 0, clock()
    )  # state NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        store.record(_review(clock), broken)
    assert store.review_count() == 0


def test_due_ids_are_most_overdue_first(db_path, clock):
    store = Store(db_path)
    for qid, days in [("a.x", -1), ("a.y", -5), ("a.z", 2)]:
        now = clock()
        store.record(
            _review(clock, qid),
            CardRow(qid, 2, None, 1, 5, now + timedelta(days=days), now, 1, 0, now),
        )
    assert store.due_ids(clock()) == ["a.y", "a.x"]


def test_unknown_question_ids_are_kept(db_path, clock):
    store = Store(db_path)
    store.record(_review(clock, "gone.question"), _card(clock, "gone.question"))
    store.close()
    assert Store(db_path).card("gone.question") is not None


def test_newer_schema_is_refused_and_left_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer quizapp") as err:
        Store(db_path)
    assert str(db_path) in str(err.value)
    assert db_path.read_bytes() == before


def test_random_bytes_are_refused_with_the_file_name(db_path):
    db_path.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="not a quizapp progress database") as err:
        Store(db_path)
    assert str(db_path) in str(err.value)
    assert db_path.read_bytes() == b"not a database" * 100


def test_settings_round_trip(db_path):
    store = Store(db_path)
    store.set_setting("desired_retention", 0.85)
    assert Store(db_path).get_setting("desired_retention") == 0.85
