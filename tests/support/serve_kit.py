"""A deck, a due card and a look at the reviews: shared by the `quizapp serve` browser tests."""

from __future__ import annotations

import subprocess
import time
from datetime import timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession, utc_now

DECK = r"""
topic: browser
title: Browser check
questions:
  - id: browser.scaling
    kind: flashcard
    title: Attention scaling
    prompt: What is $\frac{QK^T}{\sqrt{d_k}}$ fed into?
    back: The softmax, row by row.
    explanation: Scaling keeps the softmax from saturating.
    source: test
"""


def wait_for_url(log: Path, process: subprocess.Popen, timeout: float) -> str:
    """The address `quizapp serve` prints, token included, once it listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("quizapp in your browser: "):
                return line.split(": ", 1)[1].strip()
        if process.poll() is not None:
            raise AssertionError("quizapp serve exited early")
        time.sleep(0.1)
    raise AssertionError("quizapp serve printed no address")


def seed_overdue_card(db: Path, decks: Path) -> None:
    """Review the card weeks ago so `r` (review due) shows it first."""
    library = load_library([decks])
    store = Store(db)
    past = utc_now() - timedelta(days=30)
    session = StudySession(
        library,
        store,
        Planner.from_store(store, fuzz=False),
        question_ids=["browser.scaling"],
        clock=lambda: past,
    )
    session.next()
    session.reveal()
    session.rate(Rating.Good)
    store.close()


def reviews(db: Path) -> list[tuple]:
    store = Store(db)
    try:
        sql = "SELECT question_id, rating, mode FROM reviews ORDER BY id"
        return store.db.execute(sql).fetchall()
    finally:
        store.close()
