"""Weak topics, leeches, exam-day recall and cram order from synthetic histories."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from fsrs import Rating, Scheduler

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study import insights
from quizapp.study.scheduler import Planner, to_fsrs
from quizapp.study.stats import topic_summaries

from history_sim import START, answer

DECKS = Path(__file__).parent / "decks"


@pytest.fixture
def library():
    return load_library([DECKS], bundled=False)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "p.db")
    yield s
    s.close()


def _history(store, planner, *, weak: str, days: int = 20):
    """Every card answered daily; cards of `weak` are forgotten most of the time."""
    for day in range(days):
        now = START + timedelta(days=day)
        for topic in ("alpha", "beta", "gamma"):
            for i in range(1, 5):
                failing = topic == weak and (day + i) % 4 != 0
                rating = Rating.Again if failing else Rating.Good
                answer(store, planner, f"{topic}.card{i}", now + timedelta(minutes=i), rating)
    return START + timedelta(days=days, hours=1)  # fsrs counts whole days since a review


def test_clearly_weak_topic_ranks_first_and_leads_the_weak_session(library, store):
    planner = Planner.from_store(store, fuzz=False)
    now = _history(store, planner, weak="beta")
    summaries = topic_summaries(library, store, planner, now)
    ranked = insights.rank_weak_topics(summaries)
    assert [t.topic for t in ranked][0] == "beta"
    assert ranked[0].score > ranked[1].score + 0.2
    ids = insights.weak_session_ids(library, store, planner, now, summaries, topics=1)
    assert ids and all(q.startswith("beta.") for q in ids)
    assert "beta.pick" not in ids  # never seen: no history to judge it by


def test_topics_without_history_are_not_ranked(library, store):
    planner = Planner.from_store(store, fuzz=False)
    answer(store, planner, "alpha.card1", START, Rating.Good)
    summaries = topic_summaries(library, store, planner, START + timedelta(days=1))
    assert [t.topic for t in insights.rank_weak_topics(summaries)] == ["alpha"]


def test_leech_flagged_at_eight_lapses_not_before(library, store):
    planner = Planner.from_store(store, fuzz=False)
    now = START
    answer(store, planner, "gamma.card2", now, Rating.Good)
    lapses = 0
    while lapses < 8:
        assert insights.leeches(library, store) == []
        card = store.card("gamma.card2")
        now = max(now + timedelta(hours=1), card.due)
        # relearn until back in Review, then forget again
        rating = Rating.Again if card.state == 2 else Rating.Good
        answer(store, planner, "gamma.card2", now, rating)
        lapses = store.card("gamma.card2").lapses
    found = insights.leeches(library, store)
    assert [(x.question_id, x.topic, x.lapses) for x in found] == [("gamma.card2", "gamma", 8)]
    store.set_setting("leech_threshold", 9)
    assert insights.leeches(library, store) == []


def test_exam_day_recall_per_topic_is_fsrs_retrievability_at_the_exam(library, store):
    planner = Planner.from_store(store, fuzz=False)
    now = _history(store, planner, weak="beta", days=6)
    exam_day = date(2025, 2, 3)
    insights.set_exam_date(store, exam_day)
    assert insights.get_exam_date(store) == exam_day
    plan = insights.exam_plan(library, store, planner, now, exam_day)

    exam_at = datetime.combine(exam_day, time(insights.EXAM_HOUR)).astimezone()
    fsrs = Scheduler(enable_fuzzing=False)
    cards = store.cards()
    for topic in plan.topics:
        seen = [c for q, c in cards.items() if q.startswith(topic.topic + ".")]
        expected = sum(fsrs.get_card_retrievability(to_fsrs(c), exam_at) for c in seen) / len(seen)
        assert topic.recall == pytest.approx(expected, abs=1e-9)
        assert topic.seen == 4 and topic.total == 5
    by_topic = {t.topic: t.recall for t in plan.topics}
    assert by_topic["beta"] < by_topic["alpha"]
    assert plan.unseen == 3 and plan.queue[-3:] == ["alpha.pick", "beta.pick", "gamma.pick"]
    below = [q for q in plan.queue if q in plan.recall]
    assert below == sorted(below, key=lambda q: plan.recall[q])
    assert all(plan.recall[q] < plan.target for q in below)
    assert plan.days_left == (exam_day - now.date()).days
    assert plan.per_day == -(-len(plan.queue) // plan.days_left)


def test_exam_plan_warns_when_the_daily_load_is_unrealistic(library, store):
    planner = Planner.from_store(store, fuzz=False)
    plan = insights.exam_plan(library, store, planner, START, START.date() + timedelta(days=1))
    assert plan.realistic and plan.warning() is None  # 15 new cards in one day: fine
    plan = insights.ExamPlan(**{**plan.__dict__, "per_day": 500})
    assert not plan.realistic and "500 cards/day" in plan.warning()
    assert insights.realistic_daily_limit(store, START) == insights.LOAD_FLOOR


def test_cram_puts_weak_cards_first_and_includes_every_card(library, store):
    planner = Planner.from_store(store, fuzz=False)
    now = _history(store, planner, weak="beta", days=10)
    order = insights.cram_order(library, store, planner, now, ["alpha", "beta"])
    assert sorted(order) == sorted(q.id for t in ("alpha", "beta") for q in library.by_topic(t))
    assert order[0].startswith("beta.card")
    assert order.index("alpha.pick") < order.index("alpha.card1")  # unseen before well known


def test_parse_exam_date_explains_the_format():
    assert insights.parse_exam_date(" 2025-06-01 ") == date(2025, 6, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        insights.parse_exam_date("next friday")
