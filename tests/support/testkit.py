"""Shared test helpers, importable from every test module (`pythonpath = ["tests/support"]`).

One deck directory and one controllable clock for the whole suite, instead of each test
file defining its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

TESTS = Path(__file__).parent.parent
GOOD_DECKS = TESTS / "decks" / "good"  # a small deck of every kind but code
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock tests move by hand, so nothing ever sleeps.

    It stands still at `start` until moved with `advance()` or by setting `now`. With
    `step` it moves forward by that much at every reading; with `script` it hands out those
    moments in order and then stays at the last one.
    """

    def __init__(
        self,
        start: datetime | None = None,
        *,
        step: timedelta | None = None,
        script: Iterable[datetime] = (),
    ) -> None:
        self.script = list(script)
        self.now = start or (self.script[0] if self.script else START)
        self.step = step

    def __call__(self) -> datetime:
        if self.script:
            self.now = self.script.pop(0)
        elif self.step:
            self.now += self.step
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def passing_verdict():
    """A code check that passed all 4 test cases, as the grader reports it."""
    from quizapp.grading.verdict import CodeVerdict

    return CodeVerdict("correct", "**Correct!** All 4 test cases match the reference.", 4, 4)


class PassingGrader:
    """Stands in for the sandboxed grader (tested in tests/grading): every check passes."""

    def grade(self, question, source, *, seed=None):
        return passing_verdict()

    def close(self) -> None:
        pass


async def pause_until(pilot, condition, limit_s: float = 5.0) -> bool:
    """Let the app run until `condition()` holds (a loaded machine lays out later than an
    idle one): whether it did within `limit_s`."""
    for _ in range(int(limit_s / 0.02)):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


@contextmanager
def locked_by_another_program(db_path: Path) -> Iterator[None]:
    """Another connection holds the database's write lock until the block ends."""
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
