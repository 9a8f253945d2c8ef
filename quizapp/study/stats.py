"""Figures about a student's progress, per topic and overall (no UI here).

Every query is bounded so Home and Stats stay fast with a million reviews in the log:
recent answers are read per question through the (question_id, reviewed_at) index with a
LIMIT, day counts through the reviewed_at index over a fixed window, and the due forecast
from the small cards table.

Definitions used throughout:
- an answer *succeeded* when it was graded correct, or, for self-rated kinds (no
  correctness), when it was rated above Again (FSRS counts Hard as recalled);
- *accuracy* of a topic is the share of successes among its last RECENT_ATTEMPTS answers
  (review and practice alike);
- *retention* of a topic is the share of its scheduled reviews (mode "review") in the last
  WINDOW_DAYS days that were not rated Again: what the student actually recalled;
- days are the student's local calendar days, each from its own local midnight
  (`quizapp.study.local_days`, shared with the scheduler's new-card limit).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from quizapp.decks.content import Library
from quizapp.progress import queries
from quizapp.progress.store import CardRow, Store
from quizapp.study.local_days import SQL_LOCALTIME, day_start, local_day, start_of_day
from quizapp.study.scheduler import Planner

RECENT_ATTEMPTS = 20
WINDOW_DAYS = 30

Recent = dict[str, list[tuple[str, bool]]]


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    title: str
    total: int
    seen: int
    due: int
    mastery: float | None  # mean FSRS retrievability of seen cards, now
    accuracy: float | None  # share of successes among the last RECENT_ATTEMPTS answers
    lapses: int
    attempts: int = 0  # how many answers `accuracy` is based on

    def to_dict(self) -> dict:
        return asdict(self)


def recent_answers(store: Store, question_ids: list[str], limit: int = RECENT_ATTEMPTS) -> Recent:
    """(time, succeeded) of the last `limit` answers of each question, newest first.

    One indexed query per question: reads at most `limit` rows each, however long the log.
    """
    out: Recent = {}
    for qid in question_ids:
        rows = queries.recent_outcomes(store, qid, limit)
        if rows:
            out[qid] = rows
    return out


def topic_summaries(
    library: Library,
    store: Store,
    planner: Planner,
    now: datetime,
    *,
    cards: dict[str, CardRow] | None = None,
    recent: Recent | None = None,
) -> list[TopicSummary]:
    """One summary per topic, from card states and the recent review log.

    `cards` and `recent` may be passed in when the caller already loaded them.
    """
    cards = store.cards() if cards is None else cards
    recent = recent_answers(store, list(library.questions)) if recent is None else recent
    summaries = []
    for topic in library.topics:
        ids = [q.id for q in library.by_topic(topic)]
        seen = [cards[i] for i in ids if i in cards]
        answers = sorted((a for i in ids for a in recent.get(i, [])), reverse=True)
        answers = answers[:RECENT_ATTEMPTS]
        summaries.append(
            TopicSummary(
                topic=topic,
                title=library.topic_title(topic),
                total=len(ids),
                seen=len(seen),
                due=sum(1 for c in seen if c.due <= now),
                mastery=(sum(planner.retrievability(c, now) for c in seen) / len(seen))
                if seen
                else None,
                accuracy=(sum(ok for _, ok in answers) / len(answers)) if answers else None,
                lapses=sum(c.lapses for c in seen),
                attempts=len(answers),
            )
        )
    return summaries


def new_available(library: Library, store: Store, planner: Planner, now: datetime) -> int:
    """How many new questions today's limit still allows."""
    unseen = len(set(library.questions) - store.known_ids())
    allowance = max(0, planner.new_per_day - store.introduced_since(start_of_day(now)))
    return min(unseen, allowance)


# -- figures over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int  # answers of any mode
    succeeded: int
    answered: int  # answers that were graded or rated
    practice: int = 0  # of `reviews`, answers that did not move the schedule

    @property
    def accuracy(self) -> float | None:
        return self.succeeded / self.answered if self.answered else None


def reviews_per_day(store: Store, now: datetime, days: int = WINDOW_DAYS) -> list[DayCount]:
    """Answers per local day for the last `days` days, oldest first, today last."""
    today = local_day(now)
    first = today - timedelta(days=days - 1)
    start = day_start(first)
    found = queries.answers_per_day(store, SQL_LOCALTIME, start, now)
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        count, ok, answered, practice = found.get(day.isoformat(), (0, 0, 0, 0))
        out.append(DayCount(day, count, ok, answered, practice))
    return out


def due_forecast(store: Store, now: datetime, days: int = WINDOW_DAYS) -> list[tuple[date, int]]:
    """Cards falling due per local day for the next `days` days; today includes the overdue."""
    today = local_day(now)
    horizon = today + timedelta(days=days - 1)
    counts: dict[date, int] = {}
    for day_text, count in queries.cards_due_per_day(store, SQL_LOCALTIME):
        day = max(date.fromisoformat(day_text), today)
        if day <= horizon:
            counts[day] = counts.get(day, 0) + count
    return [
        (today + timedelta(days=n), counts.get(today + timedelta(days=n), 0)) for n in range(days)
    ]


def streak(store: Store, now: datetime, *, longest: int = 3660) -> int:
    """Consecutive local days with at least one answer, ending today (or yesterday, when
    today has no answer yet). One indexed probe per day, so the cost is the streak's length."""

    def studied(day: date) -> bool:
        start, end = day_start(day), day_start(day + timedelta(days=1))  # 23 to 25 hours
        return queries.answered_between(store, start, end)

    day = local_day(now)
    if not studied(day):
        day -= timedelta(days=1)
    count = 0
    while count < longest and studied(day):
        count += 1
        day -= timedelta(days=1)
    return count


def retention_by_question(
    store: Store, now: datetime, days: int = WINDOW_DAYS
) -> dict[str, tuple[int, int]]:
    """(recalled, scheduled reviews) per question over the last `days` days."""
    since = now - timedelta(days=days)
    return queries.scheduled_outcomes_since(store, since)


@dataclass(frozen=True)
class TopicFigures:
    topic: str
    title: str
    seen: int
    total: int
    mastery: float | None
    accuracy: float | None
    retention: float | None
    scheduled_reviews: int  # what `retention` is based on

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StatsReport:
    """Everything the Stats screen and `quizapp stats` show."""

    today: date
    total_reviews: int
    streak: int
    per_day: list[DayCount]
    forecast: list[tuple[date, int]]
    topics: list[TopicFigures] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "total_reviews": self.total_reviews,
            "streak_days": self.streak,
            "reviews_per_day": [
                {
                    "day": d.day.isoformat(),
                    "reviews": d.reviews,
                    "succeeded": d.succeeded,
                    "answered": d.answered,
                    "practice": d.practice,
                }
                for d in self.per_day
            ],
            "due_forecast": [{"day": d.isoformat(), "due": n} for d, n in self.forecast],
            "topics": [t.to_dict() for t in self.topics],
        }


def build_stats_report(
    library: Library,
    store: Store,
    planner: Planner,
    now: datetime,
    *,
    summaries: list[TopicSummary] | None = None,
) -> StatsReport:
    summaries = summaries or topic_summaries(library, store, planner, now)
    retention = retention_by_question(store, now)
    topics = []
    for s in summaries:
        ok = total = 0
        for q in library.by_topic(s.topic):
            a, b = retention.get(q.id, (0, 0))
            ok, total = ok + a, total + b
        topics.append(
            TopicFigures(
                topic=s.topic,
                title=s.title,
                seen=s.seen,
                total=s.total,
                mastery=s.mastery,
                accuracy=s.accuracy,
                retention=ok / total if total else None,
                scheduled_reviews=total,
            )
        )
    return StatsReport(
        today=local_day(now),
        total_reviews=store.review_count(),
        streak=streak(store, now),
        per_day=reviews_per_day(store, now),
        forecast=due_forecast(store, now),
        topics=topics,
    )
