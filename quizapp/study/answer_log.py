"""What a study session keeps about the answers given: enough to undo one exactly, and to
give the current one another rating before moving on (with the fsrs outcome each rating
had when it was shown)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Rating

from quizapp.decks.variants import Variant
from quizapp.progress.store import CardRow
from quizapp.study.evidence import Ruling

if TYPE_CHECKING:
    from quizapp.grading.code import CodeVerdict


@dataclass(frozen=True)
class Outcome:
    """What happened to an answer; the UI shows `message` and, once final, the explanation."""

    status: str  # correct | incorrect | unreadable | revealed | rated | error
    message: str
    rating: Rating | None = None
    recorded: bool = False
    final: bool = False  # the question is done; show the explanation and move on
    next_due: datetime | None = None
    verdict: CodeVerdict | None = None  # a code check's full result
    diagnosis: str = ""  # a known calculation mistake the wrong answer matches
    evidence_note: str = ""  # why it is practice, or why the rating is capped
    cap: Rating = Rating.Easy  # the highest rating `change_rating` may give


@dataclass(frozen=True)
class Answered:
    """What `undo` needs to take one recorded answer back exactly."""

    variant: Variant
    review_id: int
    previous: CardRow | None  # the card before the answer (None: it was new)
    scheduled: bool  # the answer moved the schedule (review mode)
    requeued: bool  # it earned another showing in this session
    counted: int  # what it added to correct_count
    was_repeat: bool = False  # it was an extra showing (a learning step)


# how an answer counts, the card before it, and the card after each rating it may get
Judged = tuple[Ruling, CardRow | None, dict[Rating, CardRow]]


def shifted(card: CardRow, by: timedelta) -> CardRow:
    """`card` as if reviewed `by` later: the same interval, counted from then."""
    if not by:
        return card
    last = card.last_review + by if card.last_review else None
    return replace(card, due=card.due + by, last_review=last)


@dataclass(frozen=True)
class Given:
    """An answer as judged, kept until the student moves on so its rating can change."""

    correct: bool | None
    answer: str
    message: str
    verdict: CodeVerdict | None
    diagnosis: str
    ruling: Ruling
    at: datetime
    duration_ms: int
    previous: CardRow | None
    options: dict[Rating, CardRow]  # the card after each rating (empty: practice)
