"""Personal FSRS parameters, fitted to the student's own scheduled reviews.

Only mode="review" answers are used: practice answers happen outside the schedule and
would teach the model intervals the student never had. fsrs's optimizer looks at the first
MAX_REVIEWS_PER_CARD reviews of each card and only learns from reviews made at least a day
after the previous one ("spaced" reviews); with fewer than MIN_SPACED_REVIEWS of those it
returns its defaults, so we do not run it before that. The result is stored under the
setting "fsrs_parameters", which `Planner.from_store` uses for every later review.

The optimizer imports torch and may take a minute on a long history: call `optimize` from
a worker thread in a UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating, ReviewLog

from quizapp.progress import queries
from quizapp.progress.store import Store, iso, parse_iso
from quizapp.study.scheduler import card_id

MIN_SPACED_REVIEWS = 512  # one optimizer mini-batch; below it fsrs keeps its defaults
MAX_REVIEWS_PER_CARD = 64  # the optimizer ignores anything after a card's 64th review

Progress = Callable[[str], None]


def review_logs(store: Store) -> list[ReviewLog]:
    """The first scheduled reviews of every card, as fsrs ReviewLogs (one indexed read per card)."""
    logs = []
    for qid in sorted(store.known_ids()):
        for at, rating, duration in queries.first_scheduled_reviews(
            store, qid, MAX_REVIEWS_PER_CARD
        ):
            logs.append(
                ReviewLog(
                    card_id=card_id(qid),
                    rating=Rating(rating),
                    review_datetime=parse_iso(at),
                    review_duration=duration,
                )
            )
    return logs


def spaced_reviews(logs: list[ReviewLog]) -> int:
    """Reviews at least a day after the same card's previous review: what the optimizer
    learns from."""
    last: dict[int, datetime] = {}
    count = 0
    for log in sorted(logs, key=lambda r: (r.card_id, r.review_datetime)):
        previous = last.get(log.card_id)
        if previous is not None and log.review_datetime - previous >= timedelta(days=1):
            count += 1
        last[log.card_id] = log.review_datetime
    return count


@dataclass(frozen=True)
class OptimizeResult:
    optimized: bool
    spaced_reviews: int
    parameters: list[float] | None = None

    @property
    def message(self) -> str:
        if self.optimized:
            return f"Personal parameters fitted to {self.spaced_reviews} spaced reviews."
        missing = MIN_SPACED_REVIEWS - self.spaced_reviews
        return (
            f"Not enough history yet: {self.spaced_reviews} spaced reviews, "
            f"{missing} more needed (reviews a day or more apart)."
        )


def readiness(store: Store) -> int:
    """How many spaced reviews the optimizer would learn from now."""
    return spaced_reviews(review_logs(store))


def optimize(
    store: Store, now: datetime, *, progress: Progress | None = None, save: bool = True
) -> OptimizeResult:
    """Fit and (by default) store personal parameters; nothing changes if history is short."""
    report = progress or (lambda _text: None)
    report("Reading your review log…")
    logs = review_logs(store)
    spaced = spaced_reviews(logs)
    if spaced < MIN_SPACED_REVIEWS:
        return OptimizeResult(False, spaced)
    report(f"Fitting FSRS to {spaced} spaced reviews…")
    from fsrs import Optimizer  # imports torch: only when really needed

    parameters = [float(p) for p in Optimizer(logs).compute_optimal_parameters()]
    if save:
        report("Saving your parameters…")
        with store.write_transaction():  # the parameters and what they were fitted on, or none
            store.set_setting("fsrs_parameters", parameters)
            store.set_setting("fsrs_optimized_at", iso(now))
            store.set_setting("fsrs_optimized_reviews", spaced)
    return OptimizeResult(True, spaced, parameters)


def clear_parameters(store: Store) -> None:
    """Back to fsrs's default parameters."""
    with store.write_transaction():
        store.set_setting("fsrs_parameters", None)
        store.set_setting("fsrs_optimized_at", None)
