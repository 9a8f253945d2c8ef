"""`quizapp serve` for real: a headless Chromium answers a flashcard through the web page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from fsrs import Rating

from quizapp.commands.serve import app_command
from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession, utc_now

from reach_devtools import Page, launch_chromium, stop_group

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


def _wait_for_url(log: Path, process: subprocess.Popen, timeout: float) -> str:
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


def _seed_overdue_card(db: Path, decks: Path) -> None:
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


def _reviews(db: Path) -> list[tuple]:
    store = Store(db)
    try:
        sql = "SELECT question_id, rating, mode FROM reviews ORDER BY id"
        return store.db.execute(sql).fetchall()
    finally:
        store.close()


def test_serve_command_runs_the_same_app_with_the_same_files(tmp_path):
    command = app_command(tmp_path / "my progress.db", [tmp_path / "decks"])
    assert command.startswith(f"{sys.executable} -m quizapp --db ")
    assert "'" + str((tmp_path / "my progress.db").resolve()) + "'" in command
    assert f"--content {(tmp_path / 'decks').resolve()}" in command


@pytest.mark.timeout(240)
async def test_browser_answers_a_flashcard_and_the_review_is_stored(
    chromium, artifacts_dir, tmp_path
):
    started = time.monotonic()
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "browser.yaml").write_text(DECK, encoding="utf-8")
    db = tmp_path / "progress.db"
    _seed_overdue_card(db, decks)
    assert len(_reviews(db)) == 1

    env = {k: v for k, v in os.environ.items() if k != "QUIZAPP_CONTENT"}
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "--db", str(db), "--content", str(decks)]
        + ["serve", "--port", "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    browser = None
    try:
        url = _wait_for_url(log_path, server, timeout=30)
        browser, debug_port = launch_chromium(chromium, tmp_path / "profile")
        async with aiohttp.ClientSession() as http:
            page = await Page.open(http, debug_port)
            try:
                await page.call("Network.enable")
                await page.call("Page.enable")
                await page.call("Page.navigate", url=url)  # with its token
                await page.wait_for_text("due now", timeout=60)  # Home is up
                await page.call(
                    "Runtime.evaluate",
                    expression="document.querySelector('.xterm-helper-textarea').focus()",
                )
                await page.press("r")
                await page.wait_for_text("press space to reveal", timeout=20)
                # The prompt's LaTeX reaches the browser as readable Unicode.
                await page.wait_for_text("QKᵀ/√(d_k)", timeout=5)
                await page.press(" ")
                await page.wait_for_text("How well did you know it?", timeout=20)
                await page.press("3")  # rating moves straight on to the next question
                await page.wait_for_text("Last answer:", timeout=20)
                await page.screenshot(artifacts_dir / "serve-browser-review.png")
            finally:
                await page.close()
    finally:
        if browser is not None:
            stop_group(browser)
        stop_group(server)
        log.close()

    reviews = _reviews(db)
    assert len(reviews) == 2, (tmp_path / "serve.log").read_text()[-2000:]
    assert reviews[-1] == ("browser.scaling", int(Rating.Good), "review")
    assert (artifacts_dir / "serve-browser-review.png").stat().st_size > 10_000
    assert time.monotonic() - started < 180
