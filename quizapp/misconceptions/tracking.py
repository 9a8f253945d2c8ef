"""What a student's answers showed: record misconceptions and summarise them.

Every client (study session, `quizapp grade`, mock exam) calls `record_answer` once per
recorded answer. A misconception is *fixed* when, after it was last seen, the questions
where that slip was possible were answered right (at least one, none wrong). Each open
misconception has an FSRS card of its own: seeing it again is Again, a later right answer
Good, a wrong one Hard; the drill brings it back when that card is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from quizapp.progress import misconception_log as log

if TYPE_CHECKING:
    from quizapp.decks.content import Library, Question
    from quizapp.progress.store import Store


class Source(StrEnum):
    """Where the answer that showed a misconception was given."""

    REVIEW = "review"
    PRACTICE = "practice"
    DRILL = "drill"
    SHELL = "shell"
    MOCK = "mock"


class EventKind(StrEnum):
    SEEN = "seen"
    RIGHT = "right"
    WRONG = "wrong"


def linked_ids(question: Question) -> list[str]:
    from quizapp.misconceptions.catalogue import links

    return list(dict.fromkeys(link for _, link in links(question) if link))


def record_answer(
    store: Store,
    question: Question,
    *,
    correct: bool | None,
    seen: tuple[str, ...] | list[str],
    at: datetime,
    source: Source | str,
    review_id: int | None,
) -> None:
    """Write the events of one answer: each misconception it showed, and for each other one
    this question could show and the student has shown before, whether it stayed away."""
    seen = list(dict.fromkeys(seen))
    linked = linked_ids(question) if correct is not None else []
    if not seen and not linked:
        return
    known = log.cards(store)
    events: list[tuple[str, str]] = [(m, EventKind.SEEN) for m in seen]
    if correct is not None:
        later = EventKind.RIGHT if correct else EventKind.WRONG
        events += [(m, later) for m in linked if m in known and m not in seen]
    if not events:
        return
    cards = {m: _moved(m, known.get(m), kind, at) for m, kind in events}
    log.write_events(store, question.id, at, str(source), review_id, events, cards)


def _moved(misconception_id: str, before: str | None, kind: str, at: datetime) -> log.CardChange:
    from fsrs import Card, Rating, Scheduler

    card = Card.from_json(before) if before else Card(due=at)
    rating = {EventKind.SEEN: Rating.Again, EventKind.RIGHT: Rating.Good}.get(
        EventKind(kind), Rating.Hard
    )
    after, _ = Scheduler(enable_fuzzing=False).review_card(card, rating, at)
    return log.CardChange(misconception_id, after.to_json(), after.due, before)


@dataclass(frozen=True)
class Tracked:
    """One misconception a student has shown, as the panel and `quizapp misconceptions`
    list it."""

    id: str
    title: str
    topic: str
    times_seen: int
    last_seen: datetime
    right_since: int  # later answers where the slip was possible, answered right
    wrong_since: int
    due: datetime | None

    @property
    def fixed(self) -> bool:
        return self.right_since > 0 and self.wrong_since == 0

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "topic": self.topic,
            "times_seen": self.times_seen,
            "last_seen": self.last_seen.isoformat(),
            "fixed": self.fixed,
            "right_since": self.right_since,
            "wrong_since": self.wrong_since,
            "due": self.due.isoformat() if self.due else None,
        }


def tracked(library: Library, store: Store) -> list[Tracked]:
    """Every misconception seen at least once: open ones first, most often seen first."""
    from fsrs import Card

    seen: dict[str, list[log.Event]] = {}
    for event in log.events(store):
        seen.setdefault(event.misconception_id, []).append(event)
    cards = log.cards(store)
    out = []
    for misconception_id, history in seen.items():
        sightings = [e for e in history if e.kind == EventKind.SEEN]
        if not sightings:
            continue
        last = sightings[-1].at
        after = [e for e in history if e.at > last]
        entry = library.misconceptions.get(misconception_id)
        card = cards.get(misconception_id)
        out.append(
            Tracked(
                id=misconception_id,
                title=entry.title if entry else misconception_id,
                topic=entry.topic if entry else "",
                times_seen=len(sightings),
                last_seen=last,
                right_since=sum(e.kind == EventKind.RIGHT for e in after),
                wrong_since=sum(e.kind == EventKind.WRONG for e in after),
                due=Card.from_json(card).due if card else None,
            )
        )
    return sorted(out, key=lambda t: (t.fixed, -t.times_seen, t.title))


def due_open(library: Library, store: Store, now: datetime) -> list[Tracked]:
    """Open misconceptions whose own card is due, most overdue first; then the other open
    ones (a drill the student asks for never comes up empty while something is open)."""
    open_ones = [t for t in tracked(library, store) if not t.fixed]
    due = sorted((t for t in open_ones if t.due is None or t.due <= now), key=_due_key)
    return due + sorted((t for t in open_ones if t not in due), key=_due_key)


def _due_key(item: Tracked) -> datetime:
    return item.due or item.last_seen
