"""Undo of the last answer: the log loses the review, the card gets its exact old state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import SCHEMA_VERSION, Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession
from quizapp.study.stats import new_available, topic_summaries

from testkit import GOOD_DECKS


def _session(db_path, clock, ids, mode="review"):
    store = Store(db_path)
    library = load_library([GOOD_DECKS], bundled=False, cache=False)
    planner = Planner.from_store(store, fuzz=False)
    return StudySession(library, store, planner, question_ids=ids, mode=mode, clock=clock)


def _raw_card(db_path: Path, qid: str):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT * FROM cards WHERE question_id = ?", [qid]).fetchone()


def _rate_flash(session, rating):
    session.reveal()
    return session.rate(rating)


def test_undo_of_a_new_card_makes_it_new_again_and_leaves_no_trace(db_path, clock):
    session = _session(db_path, clock, ["basics.flash", "basics.pick"])
    library, store, planner = session.library, session.store, session.planner
    before = new_available(library, store, planner, clock())
    session.next()
    clock.advance(seconds=5)
    _rate_flash(session, Rating.Good)
    assert session.queue == ["basics.pick", "basics.flash"]  # learning step: comes back
    session.next()  # rating moved on: the choice question is on screen
    assert new_available(library, store, planner, clock()) == before - 1

    variant = session.undo()
    assert variant.question.id == "basics.flash" and not session.answered
    assert session.queue == ["basics.pick"]  # the extra showing is gone, the choice comes next
    assert (session.done, session.correct_count, session.remaining) == (0, 0, 2)
    assert store.review_count() == 0 and _raw_card(db_path, "basics.flash") is None
    assert new_available(library, store, planner, clock()) == before
    assert not session.can_undo

    # Answered again, it is recorded normally.
    _rate_flash(session, Rating.Easy)
    assert [r.rating for r in Store(db_path).reviews()] == [4]


def test_undo_restores_the_exact_card_state_of_a_scheduled_review(db_path, clock):
    session = _session(db_path, clock, ["basics.flash"])
    session.next()
    _rate_flash(session, Rating.Good)
    clock.advance(days=3)
    session.next()
    card_before = _raw_card(db_path, "basics.flash")
    summary_before = topic_summaries(session.library, session.store, session.planner, clock())
    _rate_flash(session, Rating.Again)
    assert _raw_card(db_path, "basics.flash") != card_before

    assert session.undo().question.id == "basics.flash"
    assert _raw_card(db_path, "basics.flash") == card_before  # every column, bit for bit
    reopened = Store(db_path)  # what another process sees
    assert [r.rating for r in reopened.reviews()] == [3]
    after = topic_summaries(session.library, reopened, session.planner, clock())
    assert after == summary_before  # mastery, accuracy, lapses: as if never answered
    assert session.queue == []  # the Again had queued a relearning step; gone with it


def test_undo_goes_back_answer_by_answer_and_practice_never_touches_cards(db_path, clock):
    session = _session(db_path, clock, ["basics.pick", "basics.flash"], mode="practice")
    session.next()
    session.answer_choice({0})
    session.next()
    _rate_flash(session, Rating.Hard)
    assert session.store.review_count() == 2
    assert session.undo().question.id == "basics.flash"
    assert session.undo().question.id == "basics.pick"
    assert session.queue == ["basics.flash"]
    assert session.undo() is None
    assert session.store.review_count() == 0 and session.store.cards() == {}


def test_undo_is_refused_once_the_card_was_answered_again_elsewhere(db_path, clock):
    session = _session(db_path, clock, ["basics.flash"])
    session.next()
    _rate_flash(session, Rating.Good)
    other = _session(db_path, clock, ["basics.flash"])  # a second window on the same file
    clock.advance(minutes=15)
    other.next()
    _rate_flash(other, Rating.Good)
    card = _raw_card(db_path, "basics.flash")
    assert session.undo() is None
    assert session.store.review_count() == 2 and _raw_card(db_path, "basics.flash") == card


def test_the_log_stays_append_only_outside_an_undo(db_path, clock):
    session = _session(db_path, clock, ["basics.flash", "basics.pick"])
    session.next()
    _rate_flash(session, Rating.Good)
    session.next()
    session.answer_choice({0})
    with sqlite3.connect(db_path) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM reviews")
        newest = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM reviews WHERE id = ?", [newest])  # no permit
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE reviews SET rating = 4")
        # A permit for a review that is not its card's newest does not help either.
        conn.execute("INSERT INTO undo_permits VALUES (1)")
        conn.execute(
            "INSERT INTO reviews (question_id, reviewed_at, duration_ms, mode) "
            "SELECT question_id, '2099-01-01', 0, 'review' FROM reviews WHERE id = 1"
        )
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM reviews WHERE id = 1")
        conn.rollback()


def test_a_version_2_database_gains_undo_and_keeps_its_reviews(db_path, clock, monkeypatch):
    import quizapp.progress.store as store_module

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 2)
        old = _session(db_path, clock, ["basics.flash"])
        old.next()
        _rate_flash(old, Rating.Good)
        old.store.close()
    session = _session(db_path, clock, ["basics.pick"])
    assert session.store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r.question_id for r in session.store.reviews()] == ["basics.flash"]
    backups = list(db_path.parent.glob("*.backups/*"))
    assert backups  # a copy was taken before the upgrade
    session.next()
    session.answer_choice({0})
    assert session.undo() is not None
    assert [r.question_id for r in session.store.reviews()] == ["basics.flash"]
