"""Spaced repetition through the `fsrs` package, and the daily due queue.

All scheduling maths is fsrs's; this module only converts between our stored card rows
and `fsrs.Card`, and decides which questions a review session shows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from quizapp.decks.content import Library
from quizapp.progress.settings import NEW_PER_DAY, RETENTION, Settings
from quizapp.progress.store import CardRow, Store
from quizapp.study.local_days import start_of_day  # the new-card limit resets then

DEFAULT_NEW_PER_DAY = int(NEW_PER_DAY.default)
DEFAULT_RETENTION = float(RETENTION.default)
LEARN_AHEAD = timedelta(minutes=20)


def card_id(question_id: str) -> int:
    """A stable integer id for fsrs (its default id is the creation time, which sleeps)."""
    return int.from_bytes(hashlib.sha1(question_id.encode()).digest()[:6], "big")


def to_fsrs(row: CardRow) -> Card:
    return Card(
        card_id=card_id(row.question_id),
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


def new_card(question_id: str, now: datetime) -> Card:
    return Card(card_id=card_id(question_id), due=now)


@dataclass
class Planner:
    """Wraps an `fsrs.Scheduler` built from the student's settings."""

    scheduler: Scheduler
    new_per_day: int = DEFAULT_NEW_PER_DAY

    @classmethod
    def from_store(cls, store: Store, *, fuzz: bool = True) -> Planner:
        settings = Settings.load(store)
        kwargs: dict[str, Any] = {
            "desired_retention": settings.desired_retention,
            "enable_fuzzing": fuzz,
        }
        params = store.get_setting("fsrs_parameters")
        if isinstance(params, list) and all(
            isinstance(p, int | float) and not isinstance(p, bool) for p in params
        ):
            kwargs["parameters"] = tuple(params)
        try:
            scheduler = Scheduler(**kwargs)
        except ValueError:  # stored parameters out of bounds: fall back to the defaults
            kwargs.pop("parameters", None)
            scheduler = Scheduler(**kwargs)
        return cls(scheduler, settings.new_per_day)

    def review(
        self,
        question_id: str,
        previous: CardRow | None,
        rating: Rating,
        now: datetime,
        duration_ms: int,
    ) -> CardRow:
        """The card state after this rating; lapses and reps are counted here."""
        now = now.astimezone(UTC)  # fsrs insists on UTC; clocks may hand us local time
        card = to_fsrs(previous) if previous else new_card(question_id, now)
        updated, _log = self.scheduler.review_card(
            card, rating, review_datetime=now, review_duration=duration_ms
        )
        lapsed = rating == Rating.Again and previous is not None and previous.state == State.Review
        return CardRow(
            question_id=question_id,
            state=int(updated.state),
            step=updated.step,
            stability=updated.stability,
            difficulty=updated.difficulty,
            due=updated.due,
            last_review=updated.last_review,
            reps=(previous.reps if previous else 0) + 1,
            lapses=(previous.lapses if previous else 0) + int(lapsed),
            introduced_at=previous.introduced_at if previous else now,
        )

    def retrievability(self, row: CardRow, at: datetime) -> float:
        return float(self.scheduler.get_card_retrievability(to_fsrs(row), at))


def due_queue(
    library: Library,
    store: Store,
    now: datetime,
    *,
    new_per_day: int,
    topics: set[str] | None = None,
) -> list[str]:
    """Overdue cards first (most overdue first), then new questions up to today's limit."""

    def wanted(qid: str) -> bool:
        question = library.questions.get(qid)
        return question is not None and (topics is None or question.topic in topics)

    due = [qid for qid in store.due_ids(now) if wanted(qid)]
    allowance = max(0, new_per_day - store.introduced_since(start_of_day(now)))
    if allowance:
        known = store.known_ids()
        fresh = [qid for qid in library.study_order() if qid not in known and wanted(qid)]
        due.extend(fresh[:allowance])
    return due


def short_interval(delta: timedelta) -> str:
    """An interval as Anki writes it on its rating buttons: 1m, 8m, 3h, 1d, 4d, 2.1mo, 1.3y."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 60 * 24:
        return f"{round(minutes / 60)}h"
    days = minutes / 1440
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
