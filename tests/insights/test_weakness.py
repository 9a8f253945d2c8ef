"""One weakness measure: practised topics are ranked, a card just failed is weaker than one
never seen, and Home's flag, `w`, cram and the mock exam's weak mode agree."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.mock.assemble import weakness_from_history
from quizapp.progress.store import Mode, Store
from quizapp.study import insights, weakness
from quizapp.study.scheduler import Planner
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


def test_card_measure_orders_failing_then_new_then_known():
    just_failed = weakness.card_weakness(0.99, [False, True, True])  # FSRS: "just seen, 99 %"
    practised_wrong = weakness.card_weakness(None, [False])
    new = weakness.card_weakness(None, [])
    known = weakness.card_weakness(0.97, [True, True])
    assert just_failed > new and practised_wrong > new
    assert new == weakness.NEW_CARD_WEAKNESS > known
    # the newest answer weighs most: wrong-then-right is less weak than right-then-wrong
    assert weakness.card_weakness(0.9, [True, False]) < weakness.card_weakness(0.9, [False, True])


def test_cram_puts_a_just_failed_card_before_never_seen_ones(library, store):
    planner = Planner.from_store(store, fuzz=False)
    for qid in ("alpha.card1", "alpha.card2"):
        answer(store, planner, qid, START, Rating.Good)
    now = START + timedelta(days=3)
    answer(store, planner, "alpha.card2", now, Rating.Again)  # failed a minute ago
    order = insights.cram_order(library, store, planner, now + timedelta(minutes=1), ["alpha"])
    unseen = [q for q in order if store.card(q) is None]
    assert order[0] == "alpha.card2"
    assert order.index("alpha.card2") < min(order.index(q) for q in unseen)
    assert order[-1] == "alpha.card1"  # known, answered right


def test_a_topic_only_practised_is_ranked_flagged_and_practised_by_w(library, store):
    planner = Planner.from_store(store, fuzz=False)
    for i, ok in enumerate([True, False, True, False]):  # 50 % accuracy, in practice only
        at = START + timedelta(minutes=i)
        answer(store, planner, "beta.card1", at, Rating.Good, mode=Mode.PRACTICE, correct=ok)
    answer(store, planner, "alpha.card1", START, Rating.Good)  # reviewed, right
    now = START + timedelta(hours=1)
    summaries = topic_summaries(library, store, planner, now)
    ranked = weakness.rank_weak_topics(summaries)
    assert [t.topic for t in ranked] == ["beta", "alpha"]
    assert ranked[0].mastery is None and ranked[0].error_rate == pytest.approx(0.5)
    assert [t.topic for t in weakness.weak_topics(summaries, 0.9)] == ["beta"]  # Home's flag
    ids = insights.weak_session_ids(library, store, planner, now, summaries, target=0.9)
    assert ids == ["beta.card1"]  # `w` practises it, not an empty session
    topics, _ = weakness_from_history(library, store, planner, now)  # mock weak mode
    assert max(topics, key=lambda t: topics[t]) == "beta"
