"""Stats figures against values worked out by hand on a small log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import CardRow, ReviewRow, Store
from quizapp.study import stats
from quizapp.study.scheduler import Planner

DECKS = Path(__file__).parent / "decks"
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _review(store, qid, days_ago, rating, correct, mode="review"):
    at = NOW - timedelta(days=days_ago, minutes=5)
    store.record(ReviewRow(qid, at, rating, correct, "", 1000, mode))


def _card(qid, due):
    return CardRow(qid, 2, None, 10.0, 5.0, due, NOW - timedelta(days=1), 3, 0, NOW)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "p.db")
    # 40 days ago: outside every window
    _review(s, "alpha.card1", 40, Rating.Good, None)
    # 2 days ago: three answers, two succeed (one self-rated Good, one graded right)
    _review(s, "alpha.card1", 2, Rating.Good, None)
    _review(s, "alpha.pick", 2, Rating.Good, True)
    _review(s, "beta.card1", 2, Rating.Again, None)
    # yesterday: one practice answer, wrong
    _review(s, "beta.pick", 1, Rating.Again, False, mode="practice")
    # today: two answers, one right
    _review(s, "alpha.card2", 0, Rating.Hard, None)
    _review(s, "alpha.pick", 0, Rating.Again, False)
    for qid, due in [
        ("alpha.card1", NOW - timedelta(days=3)),  # overdue: counts today
        ("alpha.card2", NOW + timedelta(days=3)),
        ("beta.card1", NOW + timedelta(days=3, hours=1)),
        ("alpha.pick", NOW + timedelta(days=45)),  # beyond the forecast
    ]:
        s.db["cards"].upsert(_card(qid, due).to_row(), pk="question_id")
    yield s
    s.close()


def test_reviews_per_day_and_accuracy(store):
    days = stats.reviews_per_day(store, NOW)
    assert len(days) == 30 and days[-1].day == NOW.date()
    figures = {(NOW.date() - d.day).days: (d.reviews, d.succeeded, d.answered) for d in days}
    assert figures[0] == (2, 1, 2)
    assert figures[1] == (1, 0, 1)
    assert figures[2] == (3, 2, 3)
    assert sum(d.reviews for d in days) == 6
    assert [d.practice for d in days[-3:]] == [0, 1, 0]  # yesterday's practice answer


def test_due_forecast_and_streak(store):
    forecast = dict(stats.due_forecast(store, NOW))
    assert len(forecast) == 30
    assert forecast[NOW.date()] == 1
    assert forecast[NOW.date() + timedelta(days=3)] == 2
    assert sum(forecast.values()) == 3
    assert stats.streak(store, NOW) == 3
    assert stats.streak(store, NOW + timedelta(days=1)) == 3  # today not studied yet
    assert stats.streak(store, NOW + timedelta(days=2)) == 0


def test_topic_accuracy_and_retention(store):
    library = load_library([DECKS], bundled=False)
    planner = Planner.from_store(store, fuzz=False)
    report = stats.build_stats_report(library, store, planner, NOW)
    by_topic = {t.topic: t for t in report.topics}
    # alpha answers (newest first): pick wrong, card2 Hard, pick right, card1 Good x2
    assert by_topic["alpha"].accuracy == pytest.approx(4 / 5)
    # alpha scheduled reviews in 30 days: card1 Good, pick Good, card2 Hard, pick Again
    assert by_topic["alpha"].retention == pytest.approx(3 / 4)
    assert by_topic["alpha"].scheduled_reviews == 4
    # beta: the practice answer counts for accuracy, not for retention
    assert by_topic["beta"].accuracy == 0.0
    assert by_topic["beta"].retention == 0.0 and by_topic["beta"].scheduled_reviews == 1
    assert by_topic["gamma"].accuracy is None and by_topic["gamma"].retention is None
    assert report.total_reviews == 7 and report.streak == 3
    data = report.to_dict()
    assert data["reviews_per_day"][-1] == {
        "day": "2025-03-10",
        "reviews": 2,
        "succeeded": 1,
        "answered": 2,
        "practice": 0,
    }


def test_recent_answers_keep_only_the_newest(store):
    for n in range(30):
        store.record(ReviewRow("gamma.pick", NOW - timedelta(hours=n), 3, n < 5, "", 1, "practice"))
    recent = stats.recent_answers(store, ["gamma.pick"])
    assert len(recent["gamma.pick"]) == stats.RECENT_ATTEMPTS
    assert sum(ok for _, ok in recent["gamma.pick"]) == 5


def test_topic_summary_fields(store):
    library = load_library([DECKS], bundled=False)
    planner = Planner.from_store(store, fuzz=False)
    summaries = {s.topic: s for s in stats.topic_summaries(library, store, planner, NOW)}
    alpha = summaries["alpha"]
    assert (alpha.total, alpha.seen, alpha.due) == (5, 3, 1)
    assert alpha.attempts == 5
    card = replace(_card("x.y", NOW), last_review=NOW)
    assert planner.retrievability(card, NOW) == pytest.approx(1.0)
