"""Personal FSRS parameters: fitted from the review log, stored, used by the next review."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study import fsrs_fit as personal
from quizapp.study.scheduler import DEFAULT_RETENTION, Planner
from quizapp.study.session import StudySession

from history_sim import START, answer, simulate

DECKS = Path(__file__).parent / "decks"
IDS = [f"sim.q{i}" for i in range(60)]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "p.db")
    yield s
    s.close()


def test_short_history_leaves_the_defaults_alone(store):
    planner = Planner.from_store(store, fuzz=False)
    simulate(store, planner, IDS[:5], 10)
    result = personal.optimize(store, START + timedelta(days=10))
    assert not result.optimized and "more needed" in result.message
    assert store.get_setting("fsrs_parameters") is None


def test_practice_answers_are_not_training_data(store):
    planner = Planner.from_store(store, fuzz=False)
    answer(store, planner, "sim.q1", START, Rating.Good)
    answer(store, planner, "sim.q1", START + timedelta(days=2), Rating.Again, mode="practice")
    answer(store, planner, "sim.q1", START + timedelta(days=3), Rating.Good)
    logs = personal.review_logs(store)
    assert [log.rating for log in logs] == [Rating.Good, Rating.Good]
    assert personal.spaced_reviews(logs) == 1


def test_optimizer_fits_stores_and_the_next_review_uses_the_parameters(store):
    planner = Planner.from_store(store, fuzz=False)
    simulate(store, planner, IDS, 200, recall=0.8)
    steps = []
    now = START + timedelta(days=200)
    result = personal.optimize(store, now, progress=steps.append)
    assert result.optimized and result.spaced_reviews >= personal.MIN_SPACED_REVIEWS
    assert len(steps) == 3
    stored = store.get_setting("fsrs_parameters")
    assert stored == result.parameters and len(stored) == 21
    assert stored != list(Planner.from_store(Store(":memory:")).scheduler.parameters)

    fitted = Planner.from_store(store, fuzz=False)
    assert list(fitted.scheduler.parameters) == pytest.approx(stored)
    assert fitted.scheduler.desired_retention == DEFAULT_RETENTION

    # The next review through a session: a new card rated Good starts at stability w[2].
    library = load_library([DECKS], bundled=False)
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=["alpha.card1"], clock=lambda: now
    )
    session.next()
    session.reveal()
    session.rate(Rating.Good)
    assert store.card("alpha.card1").stability == pytest.approx(stored[2])
