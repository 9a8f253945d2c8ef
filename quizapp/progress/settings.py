"""The student's settings: one typed record and one table of bounds.

Both the Settings screen (its validators and hints) and the domain (reading what is
stored) go through `BOUNDS`, so what the form allows and what the scheduler accepts
cannot drift apart. The exam date is not here: its rule depends on today's date and it
lives with the exam plan in `insights`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from quizapp.progress.store import Store


@dataclass(frozen=True)
class Bound:
    """One numeric setting: where it is stored, its default and the values it may take."""

    key: str
    label: str
    default: float
    low: float
    high: float
    whole: bool = False  # a count (int) rather than a fraction
    percent: bool = False  # "90%" and "90" are read as 0.9

    def hint(self) -> str:
        """The allowed range as the form shows it: `0.70–0.99`, `0–500`."""
        if self.whole:
            return f"{self.low:.0f}–{self.high:.0f}"
        return f"{self.low:.2f}–{self.high:.2f}"

    def parse(self, text: str) -> float | int:
        """The value typed into the form, or ValueError with a message a student can act on."""
        raw = text.strip()
        try:
            if self.whole:
                value: float | int = int(raw)
            else:
                value = float(raw.rstrip("%").strip())
                if self.percent and (raw.endswith("%") or value > 1):
                    value /= 100
        except ValueError:
            example = "a whole number" if self.whole else "a number such as 0.9 or 90%"
            raise ValueError(f"{self.label} must be {example}.") from None
        if not math.isfinite(value) or not self.low <= value <= self.high:
            low, high = self.hint().split("–")
            raise ValueError(f"{self.label} must be between {low} and {high}.")
        return value if self.whole else round(value, 3)

    def read(self, stored: Any) -> float | int:
        """A stored value made usable: the default when it is not a number, the nearest
        bound when it is out of range.

        Values arrive from imported files and older versions (which accepted wider ranges);
        a bad one must never stop the app from starting, and the nearest allowed value is
        closer to what the student meant than the default.
        """
        usable = isinstance(stored, int | float) and not isinstance(stored, bool)
        if usable and math.isfinite(stored):
            value = min(max(stored, self.low), self.high)
        else:
            value = self.default
        return int(value) if self.whole else float(value)


# Bounds, and why:
# - retention 0.70–0.99: the range Anki offers for FSRS. Below 0.70 the intervals grow so
#   long that most cards are forgotten before they come back, which defeats exam prep;
#   1.0 would mean reviewing every day forever.
# - new cards 0–500: the bundled course has under 300 questions, so 500 allows "all of it
#   today" before an exam with room for the student's own decks, while catching a stray
#   extra digit (every new card brings several reviews over the next days).
# - leech threshold 1–100: Anki's default is 8; a card forgotten 100 times is a leech by
#   any standard, so higher values would only switch the warning off silently.
RETENTION = Bound("desired_retention", "Desired retention", 0.9, 0.70, 0.99, percent=True)
NEW_PER_DAY = Bound("new_per_day", "New cards per day", 20, 0, 500, whole=True)
LEECH_THRESHOLD = Bound("leech_threshold", "Leech threshold", 8, 1, 100, whole=True)
# - exam minutes 5–600: the daily time the exam planner fills; under 5 minutes a day is
#   not a plan, and 10 hours a day is the most anyone studies.
EXAM_MINUTES = Bound("exam_minutes", "Exam minutes per day", 30, 5, 600, whole=True)
BOUNDS = {bound.key: bound for bound in (RETENTION, NEW_PER_DAY, LEECH_THRESHOLD, EXAM_MINUTES)}


@dataclass(frozen=True)
class Settings:
    """The bounded settings, always within `BOUNDS` once loaded or parsed."""

    desired_retention: float = float(RETENTION.default)
    new_per_day: int = int(NEW_PER_DAY.default)
    leech_threshold: int = int(LEECH_THRESHOLD.default)
    exam_minutes: int = int(EXAM_MINUTES.default)

    @classmethod
    def load(cls, store: Store) -> Settings:
        return cls._of({key: bound.read(store.get_setting(key)) for key, bound in BOUNDS.items()})

    @classmethod
    def parse(cls, texts: dict[str, str]) -> Settings:
        """From the form's text, keyed like `BOUNDS`; ValueError names the first bad field."""
        return cls._of({key: BOUNDS[key].parse(text) for key, text in texts.items()})

    @classmethod
    def _of(cls, values: dict[str, float | int]) -> Settings:
        return cls(
            desired_retention=float(values[RETENTION.key]),
            new_per_day=int(values[NEW_PER_DAY.key]),
            leech_threshold=int(values[LEECH_THRESHOLD.key]),
            exam_minutes=int(values.get(EXAM_MINUTES.key, EXAM_MINUTES.default)),
        )

    def save(self, store: Store) -> None:
        for key in BOUNDS:
            store.set_setting(key, getattr(self, key))
