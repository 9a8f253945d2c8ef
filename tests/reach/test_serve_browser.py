"""`quizapp serve` for real: a headless Chromium answers a flashcard through the web page."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import aiohttp
import pytest
from fsrs import Rating

from quizapp.commands.serve import app_command

from reach_devtools import Page, launch_chromium, stop_group
from serve_kit import DECK, reviews, seed_overdue_card, wait_for_url


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
    seed_overdue_card(db, decks)
    assert len(reviews(db)) == 1

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
        url = wait_for_url(log_path, server, timeout=30)
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

    stored = reviews(db)
    assert len(stored) == 2, (tmp_path / "serve.log").read_text()[-2000:]
    assert stored[-1] == ("browser.scaling", int(Rating.Good), "review")
    assert (artifacts_dir / "serve-browser-review.png").stat().st_size > 10_000
    assert time.monotonic() - started < 180
