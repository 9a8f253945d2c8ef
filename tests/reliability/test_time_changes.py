"""Clocks that jump back, time-zone changes and DST: timestamps are stored as UTC and due
dates stay sane."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import Store, parse_iso
from quizapp.study.scheduler import Planner, start_of_day
from quizapp.study.session import StudySession

from testkit import GOOD_DECKS, FakeClock


def session(db, clock):
    store = Store(db)
    library = load_library([GOOD_DECKS], bundled=False)
    return StudySession(
        library, store, Planner.from_store(store, fuzz=False), question_ids=[], clock=clock
    )


def raw_times(store):
    rows = store.db.execute("SELECT reviewed_at FROM reviews").fetchall()
    rows += store.db.execute("SELECT due FROM cards").fetchall()
    rows += store.db.execute("SELECT last_review FROM cards").fetchall()
    return [r[0] for r in rows if r[0]]


def test_clock_jumping_back_two_days_keeps_due_dates_sane(tmp_path):
    start = datetime(2026, 6, 10, 12, tzinfo=UTC)
    moments = []
    for step in range(12):  # forward an hour at a time, then back two days, then forward
        moments.append(
            start + timedelta(hours=step) - (timedelta(days=2) if step >= 6 else timedelta())
        )
    clock = FakeClock(script=moments)
    study = session(tmp_path / "p.db", clock)
    scheduled = 0
    for _ in range(6):
        study.show("basics.flash")
        outcome = study.rate(Rating.Good)
        reviewed = study.store.reviews("basics.flash")[-1].reviewed_at
        if outcome.next_due is None:  # one review a day: a later answer is practice
            continue
        scheduled += 1
        assert outcome.next_due >= reviewed  # never due before the review that scheduled it
        assert outcome.next_due - reviewed <= timedelta(days=36500)
    assert study.store.review_count() == 6
    assert study.store.card("basics.flash").reps == scheduled >= 2  # the learning step too


@pytest.mark.parametrize(
    "offset_hours",
    [-11, -5, 2, 5.5, 13, 0],
)
def test_local_time_zones_are_stored_as_utc(tmp_path, offset_hours):
    zone = timezone(timedelta(hours=offset_hours))
    local = datetime(2026, 3, 29, 1, 30, tzinfo=zone)
    study = session(tmp_path / "p.db", lambda: local)
    study.show("basics.memory")
    study.answer_numeric("8796 GB")
    for text in raw_times(study.store):
        assert text.endswith("+00:00") and len(text) == len("2026-03-29T01:30:00.000000+00:00")
        assert parse_iso(text).tzinfo == UTC
    assert study.store.reviews()[0].reviewed_at == local


def test_naive_times_are_refused_rather_than_guessed(tmp_path):
    study = session(tmp_path / "p.db", lambda: datetime(2026, 1, 1, 9))
    study.show("basics.flash")
    with pytest.raises((ValueError, TypeError)):
        study.rate(Rating.Good)
    assert Store(tmp_path / "p.db").review_count() == 0


@pytest.fixture
def berlin():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize(
    ("moment", "midnight"),
    [
        # The night clocks go forward (02:00 -> 03:00 CET -> CEST).
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
        pytest.param(
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
        ),
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), datetime(2026, 3, 29, 22, 0, tzinfo=UTC)),
        # The night clocks go back (03:00 CEST -> 02:00 CET): 02:30 happens twice.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),
        pytest.param(
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        ),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),
    ],
)
def test_start_of_day_across_dst_in_berlin(berlin, moment, midnight):
    assert start_of_day(moment) == midnight
    assert start_of_day(moment) <= moment < start_of_day(moment) + timedelta(hours=25)


def test_new_card_limit_survives_a_time_zone_change(tmp_path, berlin):
    db = tmp_path / "p.db"
    store = Store(db)
    store.set_setting("new_per_day", 2)
    at = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # during the repeated hour
    first = session(db, lambda: at)
    first.show("basics.flash")
    first.rate(Rating.Good)
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    later = session(db, lambda: at + timedelta(minutes=30))
    new_today = [q for q in later.queue if later.store.card(q) is None]
    assert len(new_today) <= 2
    assert all(t.endswith("+00:00") for t in raw_times(later.store))
