"""A write that fails for a reason outside quizapp (the file kept locked by another program,
a read-only database, a full disk) is reported as SaveFailed: nothing half-written, and the
answer can be given again once the cause is gone."""

from __future__ import annotations

import sqlite3

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.errors import SaveFailed
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

from testkit import GOOD_DECKS, locked_by_another_program


def _session(db_path, clock, ids):
    library = load_library([GOOD_DECKS], bundled=False)
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)
    return StudySession(library, store, planner, question_ids=ids, clock=clock)


def test_an_answer_while_another_program_holds_the_lock_is_not_saved_and_can_be_retried(
    db_path, clock, short_busy_timeout
):
    session = _session(db_path, clock, ["basics.memory"])
    session.next()
    with locked_by_another_program(db_path), pytest.raises(SaveFailed) as failed:
        session.answer_numeric("8796 GB")
    assert str(db_path) in str(failed.value) and "locked" in str(failed.value)
    assert session.store.reviews("basics.memory") == []
    assert not session.answered and session.done == 0  # the session still waits for it

    outcome = session.answer_numeric("8796 GB")  # the lock is gone: the same answer again
    assert outcome.recorded and outcome.rating == Rating.Good
    assert len(session.store.reviews("basics.memory")) == 1
    assert session.done == 1


def test_a_read_only_database_says_so(db_path, clock):
    session = _session(db_path, clock, ["basics.flash"])
    session.next()
    session.reveal()
    session.store.execute("PRAGMA query_only = 1")  # what a read-only file gives, even for root
    with pytest.raises(SaveFailed, match="read-only"):
        session.rate(Rating.Good)
    session.store.execute("PRAGMA query_only = 0")
    assert session.rate(Rating.Good).recorded


def test_a_bug_in_a_write_is_not_dressed_up_as_a_save_failure(db_path):
    store = Store(db_path)
    with pytest.raises(sqlite3.OperationalError) as raised, store.write_transaction():
        store.execute("INSERT INTO no_such_table VALUES (1)")
    assert not isinstance(raised.value, SaveFailed)
    assert not store.conn.in_transaction


def test_a_transaction_inside_another_joins_it(db_path):
    store = Store(db_path)
    with pytest.raises(RuntimeError), store.write_transaction():
        store.set_setting("a", 1)
        with store.write_transaction():
            store.set_setting("b", 2)
        raise RuntimeError("after both writes")
    assert (store.get_setting("a"), store.get_setting("b")) == (None, None)  # neither kept
    with store.write_transaction():
        store.set_setting("a", 1)
        store.set_setting("b", 2)
    assert (store.get_setting("a"), store.get_setting("b")) == (1, 2)


def test_changing_a_rating_never_loses_the_answer_when_the_new_review_cannot_be_saved(
    db_path, clock, monkeypatch
):
    session = _session(db_path, clock, ["basics.memory"])
    session.next()
    clock.advance(seconds=5)
    first = session.answer_numeric("8796 GB")
    store = session.store
    card_before = store.card("basics.memory")
    record = store.record

    def disk_full(review, card=None):
        with store.write_transaction():
            store.insert_review(review, card)  # written, then the disk fills up
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error

    monkeypatch.setattr(store, "record", disk_full)
    with pytest.raises(SaveFailed, match="disk is full"):
        session.change_rating(Rating.Easy)
    reviews = store.reviews("basics.memory")
    assert [(r.rating, r.mode) for r in reviews] == [(int(first.rating), "review")]
    assert store.card("basics.memory") == card_before
    assert (session.done, session.correct_count, session.can_undo) == (1, 1, True)

    monkeypatch.setattr(store, "record", record)
    clock.advance(seconds=1)
    changed = session.change_rating(Rating.Easy)
    assert changed is not None and changed.rating == Rating.Easy
    assert [r.rating for r in store.reviews("basics.memory")] == [4]
    assert session.done == 1
