"""Figures about a student's progress, per topic and overall (no UI here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from quizapp.content import Library
from quizapp.scheduler import Planner, start_of_day
from quizapp.store import Store

RECENT_ATTEMPTS = 20


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    title: str
    total: int
    seen: int
    due: int
    mastery: float | None  # mean FSRS retrievability of seen cards, now
    accuracy: float | None  # share right among the last RECENT_ATTEMPTS graded answers
    lapses: int

    def to_dict(self) -> dict:
        return asdict(self)


def topic_summaries(
    library: Library, store: Store, planner: Planner, now: datetime
) -> list[TopicSummary]:
    """One summary per topic, from card states and the recent review log."""
    cards = store.cards()
    due_now = set(store.due_ids(now))
    recent = _recent_correctness(store)
    summaries = []
    for topic in library.topics:
        ids = [q.id for q in library.by_topic(topic)]
        seen = [cards[i] for i in ids if i in cards]
        graded = [flag for i in ids for flag in recent.get(i, [])]
        graded = sorted(graded, reverse=True)[:RECENT_ATTEMPTS]
        summaries.append(
            TopicSummary(
                topic=topic,
                title=library.topic_title(topic),
                total=len(ids),
                seen=len(seen),
                due=sum(1 for i in ids if i in due_now),
                mastery=(sum(planner.retrievability(c, now) for c in seen) / len(seen))
                if seen
                else None,
                accuracy=(sum(ok for _, ok in graded) / len(graded)) if graded else None,
                lapses=sum(c.lapses for c in seen),
            )
        )
    return summaries


def _recent_correctness(store: Store) -> dict[str, list[tuple[str, bool]]]:
    """(time, correct) of the most recent graded answers per question."""
    sql = (
        "SELECT question_id, reviewed_at, correct FROM ("
        " SELECT question_id, reviewed_at, correct,"
        " row_number() OVER (PARTITION BY question_id ORDER BY reviewed_at DESC) AS n"
        " FROM reviews WHERE correct IS NOT NULL) WHERE n <= ?"
    )
    out: dict[str, list[tuple[str, bool]]] = {}
    for qid, at, correct in store.db.execute(sql, [RECENT_ATTEMPTS]).fetchall():
        out.setdefault(qid, []).append((at, bool(correct)))
    return out


def new_available(library: Library, store: Store, planner: Planner, now: datetime) -> int:
    """How many new questions today's limit still allows."""
    unseen = len(set(library.questions) - store.known_ids())
    allowance = max(0, planner.new_per_day - store.introduced_since(start_of_day(now)))
    return min(unseen, allowance)
