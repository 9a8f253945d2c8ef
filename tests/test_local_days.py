"""One definition of a local day, shared by the new-card limit and the statistics, checked
on the two nights a year Berlin's clocks change."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.progress.store import CardRow, ReviewRow, Store
from quizapp.study.local_days import day_start, local_day, start_of_day
from quizapp.study.stats import reviews_per_day, streak


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _review(store: Store, at: datetime, qid: str) -> None:
    card = CardRow(qid, 1, 0, 1.0, 5.0, at + timedelta(minutes=10), at, 1, 0, at)
    store.record(ReviewRow(qid, at, 3, True, "", 1000), card)


@pytest.mark.parametrize(
    ("now", "yesterday_evening", "just_after_midnight"),
    [
        # Clocks go forward on 29 March (CET +1 -> CEST +2); `now` is in summer time.
        (datetime(2026, 3, 29, 10, tzinfo=UTC), "2026-03-28T22:30", "2026-03-28T23:30"),
        # Clocks go back on 25 October (CEST +2 -> CET +1); `now` is in winter time.
        (datetime(2026, 10, 25, 11, tzinfo=UTC), "2026-10-24T21:30", "2026-10-24T22:30"),
    ],
)
def test_scheduler_and_stats_agree_on_today_on_a_dst_day(
    berlin, tmp_path, now, yesterday_evening, just_after_midnight
):
    store = Store(tmp_path / "p.db")
    late = datetime.fromisoformat(yesterday_evening).replace(tzinfo=UTC)  # 23:30 local
    early = datetime.fromisoformat(just_after_midnight).replace(tzinfo=UTC)  # 00:30 local
    assert local_day(late) == local_day(now) - timedelta(days=1)
    assert local_day(early) == local_day(now)
    _review(store, late, "a.late")
    _review(store, early, "a.early")

    midnight = start_of_day(now)
    assert late < midnight <= early
    assert store.introduced_since(midnight) == 1  # the new-card limit counts today's one
    days = reviews_per_day(store, now, days=2)
    assert [(d.day, d.reviews) for d in days] == [
        (local_day(late), 1),
        (local_day(now), 1),
    ]
    assert streak(store, now) == 2


def test_a_dst_day_is_23_or_25_hours_long(berlin):
    def length(day: date) -> timedelta:
        return day_start(day + timedelta(days=1)) - day_start(day)

    assert length(date(2026, 3, 29)) == timedelta(hours=23)
    assert length(date(2026, 10, 25)) == timedelta(hours=25)
    assert length(date(2026, 7, 1)) == timedelta(hours=24)
    assert day_start(date(2026, 3, 29), 9) == datetime(2026, 3, 29, 7, tzinfo=UTC)  # 09:00 CEST
