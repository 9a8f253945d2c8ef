"""A progress database that looks like a month of real study, for screenshots and tmux walks.

Some topics are answered well and some badly, one card keeps being forgotten (a leech),
and an exam date is set, so every part of Home, Stats and Browse has something to show.
Everything is derived from a fixed seed and the given `now`.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.decks.content import Library, load_library
from quizapp.progress.store import Mode, ReviewRow, Store
from quizapp.study import insights
from quizapp.study.scheduler import Planner

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAYS = 30
RECALL = {"attention": 0.9, "masking": 0.85, "transformer": 0.8, "clr": 0.45, "clip": 0.5}
LEECH = "masking.zero-weights"


def fill(
    store: Store,
    library: Library,
    now: datetime = NOW,
    *,
    recall: dict[str, float] = RECALL,
    leech: str | None = LEECH,
    share: float = 0.6,
    seed: int = 7,
) -> None:
    """A month of answers up to `now` for about `share` of the questions of the topics in
    `recall` (each topic answered right that often), an exam in 19 days, one leech."""
    rng = random.Random(seed)
    planner = Planner.from_store(store, fuzz=False)
    studied = [
        q.id
        for topic in recall
        for q in library.by_topic(topic)
        if q.id != leech and rng.random() < share
    ]
    start = now - timedelta(days=DAYS)
    with store.write_transaction():
        for day in range(DAYS):
            moment = start + timedelta(days=day, hours=rng.randrange(0, 10))
            if day % 7 == 3:
                continue  # a day off now and then
            for qid in studied:
                card = store.card(qid)
                if card is not None and card.due > moment:
                    continue
                topic = library.questions[qid].topic
                rating = Rating.Good if rng.random() < recall[topic] else Rating.Again
                _answer(store, planner, qid, moment, rating)
                moment += timedelta(seconds=40)
            # the leech: learnt in a day, then forgotten again and again
            for rating in (Rating.Good, Rating.Good, Rating.Again) if leech else ():
                assert leech is not None  # the loop runs only when there is one
                _answer(store, planner, leech, moment, rating)
                moment += timedelta(minutes=30)
    insights.set_exam_date(store, (now + timedelta(days=19)).date())


def _answer(store: Store, planner: Planner, qid: str, at: datetime, rating: Rating) -> None:
    card = planner.review(qid, store.card(qid), rating, at, 6000)
    store.insert_review(
        ReviewRow(qid, at, int(rating), rating > Rating.Again, "", 6000, Mode.REVIEW), card
    )


if __name__ == "__main__":  # python tests/tui/demo_state.py PATH: a demo database as of now
    target = Path(sys.argv[1])
    target.unlink(missing_ok=True)
    fill(Store(target), load_library(), now=datetime.now(UTC))
    print(f"demo progress in {target}")
