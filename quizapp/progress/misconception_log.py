"""The SQL of misconception tracking: events per answer and one FSRS card per misconception.

An answer that shows a misconception writes a "seen" event; a later answer to a question
where that slip was possible writes "right" or "wrong". Each event keeps the
misconception's card as it was before, so `undo_misconception_events` (called by
`Store.undo_review` in its transaction) puts the card back and removes the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.progress.store import Store


@dataclass(frozen=True)
class Event:
    misconception_id: str
    question_id: str
    at: datetime
    kind: str  # seen | right | wrong
    source: str
    review_id: int | None


@dataclass(frozen=True)
class CardChange:
    """A misconception's card after an event, and the card it replaces (JSON, None = new)."""

    misconception_id: str
    card: str
    due: datetime
    previous: str | None


def write_events(
    store: Store,
    question_id: str,
    at: datetime,
    source: str,
    review_id: int | None,
    events: Iterable[tuple[str, str]],
    cards: dict[str, CardChange],
) -> None:
    """Append (misconception id, kind) events for one answer and move their cards, in one
    transaction (the caller may already hold one)."""
    from quizapp.progress.store import iso

    rows = list(events)
    if not rows:
        return
    with store.write_transaction():  # joins the caller's, if it holds one
        for misconception_id, kind in rows:
            change = cards.get(misconception_id)
            store.execute(
                "INSERT INTO misconception_events (misconception_id, question_id, at, kind, "
                "source, review_id, previous_card) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    misconception_id,
                    question_id,
                    iso(at),
                    kind,
                    source,
                    review_id,
                    change.previous if change else None,
                ],
            )
        for change in cards.values():
            store.execute(
                "INSERT INTO misconception_cards (misconception_id, card, due) VALUES (?, ?, ?) "
                "ON CONFLICT(misconception_id) DO UPDATE SET card = excluded.card, "
                "due = excluded.due",
                [change.misconception_id, change.card, iso(change.due)],
            )


def undo_misconception_events(store: Store, review_id: int) -> None:
    """Take back what one answer wrote: cards restored to their state before, events gone.
    Runs inside `Store.undo_review`'s transaction."""
    rows = store.execute(
        "SELECT misconception_id, previous_card FROM misconception_events "
        "WHERE review_id = ? ORDER BY id DESC",
        [review_id],
    ).fetchall()
    for misconception_id, previous in rows:
        if previous is None:
            store.execute(
                "DELETE FROM misconception_cards WHERE misconception_id = ?", [misconception_id]
            )
        else:
            from fsrs import Card

            from quizapp.progress.store import iso

            store.execute(
                "UPDATE misconception_cards SET card = ?, due = ? WHERE misconception_id = ?",
                [previous, iso(Card.from_json(previous).due), misconception_id],
            )
    store.execute("DELETE FROM misconception_events WHERE review_id = ?", [review_id])


def events(store: Store) -> list[Event]:
    from quizapp.progress.store import parse_iso

    rows = store.execute(
        "SELECT misconception_id, question_id, at, kind, source, review_id "
        "FROM misconception_events ORDER BY at, id"
    ).fetchall()
    return [Event(m, q, parse_iso(at), kind, source, r) for m, q, at, kind, source, r in rows]


def cards(store: Store) -> dict[str, str]:
    """misconception id -> its FSRS card as JSON."""
    rows = store.execute("SELECT misconception_id, card FROM misconception_cards").fetchall()
    return dict(rows)


def has_events(store: Store, review_id: int) -> bool:
    row = store.execute(
        "SELECT 1 FROM misconception_events WHERE review_id = ? LIMIT 1", [review_id]
    ).fetchone()
    return row is not None
