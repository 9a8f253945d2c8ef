"""Synthetic review histories for tests: a simulated student answering on a fixed clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from fsrs import Rating

from quizapp.progress.store import CardRow, Mode, ReviewRow, Store
from quizapp.study.scheduler import Planner

START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def answer(
    store: Store,
    planner: Planner,
    question_id: str,
    at: datetime,
    rating: Rating,
    *,
    mode: Mode = Mode.REVIEW,
    correct: bool | None = None,
) -> CardRow | None:
    """Record one answer the way a session does: review mode moves the card."""
    card = None
    if mode == "review":
        card = planner.review(question_id, store.card(question_id), rating, at, 5000)
    ok = rating > Rating.Again if correct is None else correct
    store.record(ReviewRow(question_id, at, int(rating), ok, "", 5000, mode), card)
    return card


def simulate(
    store: Store,
    planner: Planner,
    question_ids: list[str],
    days: int,
    *,
    recall: float = 0.85,
    seed: int = 7,
    start: datetime = START,
) -> int:
    """Each day, answer every due card; the student recalls with probability `recall`."""
    rng = random.Random(seed)
    count = 0
    for day in range(days):
        now = start + timedelta(days=day)
        for qid in question_ids:
            card = store.card(qid)
            if card is not None and card.due > now:
                continue
            rating = Rating.Good if rng.random() < recall else Rating.Again
            if rng.random() < 0.1 and rating == Rating.Good:
                rating = Rating.Easy
            answer(store, planner, qid, now + timedelta(minutes=count % 600), rating)
            count += 1
    return count
