"""The rows of the progress database as typed values: card states, reviews, attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def iso(moment: datetime) -> str:
    """UTC timestamps in one fixed-width format, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class CardRow:
    """What the scheduler needs to know about one question's card."""

    question_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    introduced_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CardRow:
        return cls(
            question_id=row["question_id"],
            state=row["state"],
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=parse_iso(row["due"]),
            last_review=parse_iso(row["last_review"]) if row["last_review"] else None,
            reps=row["reps"],
            lapses=row["lapses"],
            introduced_at=parse_iso(row["introduced_at"]),
        )

    def to_row(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": iso(self.due),
            "last_review": iso(self.last_review) if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "introduced_at": iso(self.introduced_at),
        }


class Mode(StrEnum):
    """How an answer was given: in a review it moves the FSRS schedule; in practice (weak
    topics, browse, cram) it only counts for statistics."""

    REVIEW = "review"
    PRACTICE = "practice"

    @classmethod
    def read(cls, stored: str) -> Mode:
        """A stored mode; one this version does not know (an imported file) reads as
        practice, which never touches the schedule."""
        try:
            return cls(stored)
        except ValueError:
            return cls.PRACTICE


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review log."""

    question_id: str
    reviewed_at: datetime
    rating: int | None  # 1..4 (fsrs.Rating); None when nothing was rated
    correct: bool | None  # None for self-rated kinds
    answer: str
    duration_ms: int
    mode: Mode = Mode.REVIEW
    variant_seed: int | None = None


@dataclass(frozen=True)
class AttemptRow:
    """One check of a code answer (the columns of the attempts table)."""

    question_id: str
    at: datetime
    source: str
    status: str  # a CodeVerdict status
    feedback: str
