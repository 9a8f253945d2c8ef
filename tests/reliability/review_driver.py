"""Answer questions against a progress database as fast as possible, for crash and
concurrency tests.

Prints `ready` once the store is open, then the id of every review right after
`Store.record` returned (so the caller knows which commits it may rely on), then `done`.
A TUI that stops (an exception in the app) or records nothing for STALL_S seconds ends
the driver with an error on stderr, rather than leaving it pressing keys at nothing.

    python review_driver.py --db PATH --content DIR [--ui session|tui] [--count N]

`--ui session` drives a `StudySession` directly; `--ui tui` drives the real Textual app
headless (pressing keys as a student would). `--count 0` runs until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

STALL_S = 90.0
NUMERIC_ANSWERS = ("8796 GB", "8192 GiB", "4 TB", "8.796e12 B", "12 GB")


class SteppingClock:
    """Real time at start, then one hour further at each call, so cards keep coming due."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


class Progress:
    """When the last review committed, for the TUI driver's stall check."""

    last_commit = time.monotonic()


def report_each_commit(store: Store, limit: int) -> None:
    """Print a review id once its transaction has committed; stop after `limit` reviews."""
    record = store.record
    count = 0

    def recorded(review, card=None):
        nonlocal count
        review_id = record(review, card)
        Progress.last_commit = time.monotonic()
        print(review_id, flush=True)
        count += 1
        if limit and count >= limit:
            print("done", flush=True)
            os._exit(0)  # also from inside the TUI's event loop; every commit is already done
        return review_id

    store.record = recorded  # type: ignore[method-assign]  # wrapped to report each commit


def answer_one(session: StudySession, rng: random.Random) -> None:
    question = session.question
    if question.kind == "numeric":
        session.answer_numeric(rng.choice(NUMERIC_ANSWERS))
    elif question.kind == "choice":
        session.answer_choice({rng.randrange(len(question.options))})
    elif question.kind == "open":
        session.submit_open("variance grows")
        session.rate_rubric({0})
    else:
        session.reveal()
        session.rate(Rating(rng.randint(1, 4)))


def drive_session(store: Store, content: Path, rng: random.Random) -> None:
    library = load_library([content], bundled=False)
    ids = sorted(library.questions)
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=[], clock=SteppingClock()
    )
    while True:
        session.show(rng.choice(ids))
        answer_one(session, rng)


async def drive_tui(store: Store, content: Path, rng: random.Random) -> None:
    from textual.widgets import Input

    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.study import StudyScreen

    clock = SteppingClock()
    app = QuizApp(load_library([content], bundled=False), store, clock=clock, fuzz=False)

    async with app.run_test(size=(110, 40)) as pilot:
        told: set[str] = set()

        async def press(*keys: str) -> None:
            await pilot.press(*keys)
            if not app.is_running:
                return  # leaving `run_test` raises what stopped the app
            for note in app._notifications:  # what the student would be told goes to stderr
                if note.severity == "error" and note.identity not in told:
                    told.add(note.identity)
                    print(f"told: {note.title}: {note.message}", file=sys.stderr, flush=True)
            if time.monotonic() - Progress.last_commit > STALL_S:
                screen = app.screen
                session = getattr(screen, "session", None)
                current = session.question.id if session and session.current else None
                sys.exit(
                    f"no review recorded for {STALL_S:.0f} s: screen {screen!r}, "
                    f"stage {getattr(screen, 'stage', None)}, question {current}, "
                    f"focus {app.focused!r}"
                )

        while app.is_running:
            clock.now += timedelta(days=60)  # everything is due again
            await press("r")
            while isinstance(app.screen, StudyScreen) and app.screen.session.current:
                if not app.is_running:
                    break
                kind = app.screen.session.question.kind
                if kind == "numeric":
                    field = app.screen.query_one("#numeric-answer", Input)
                    field.value = rng.choice(NUMERIC_ANSWERS)
                    await press("enter", "enter")
                elif kind == "choice":
                    await press(str(rng.randint(1, 2)), "enter", "enter")
                elif kind == "flashcard":
                    await press("space", str(rng.randint(1, 4)), "n")
                else:
                    await press("ctrl+n")
            if isinstance(app.screen, StudyScreen):
                await press("escape")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--content", required=True)
    parser.add_argument("--ui", choices=("session", "tui"), default="session")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    store = Store(args.db)
    report_each_commit(store, args.count)
    print("ready", flush=True)
    rng = random.Random(args.seed)
    if args.ui == "tui":
        asyncio.run(drive_tui(store, Path(args.content), rng))
    else:
        drive_session(store, Path(args.content), rng)


if __name__ == "__main__":
    main()
