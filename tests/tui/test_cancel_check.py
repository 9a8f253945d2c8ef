"""A running check can be cancelled (ctrl+c or esc): the confined child is killed, the warm
worker stays, nothing is recorded, and the app goes on. A new check clears the last failure."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeGrader
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer

pytestmark = pytest.mark.slow

QUESTION = "masking.zero-weights"
WRONG = """\
import torch

def masked_attention(q, k, v, mask):
    return torch.softmax(q @ k.transpose(-2, -1), dim=-1) @ v
"""
ENDLESS = """\
def masked_attention(q, k, v, mask):
    while True:
        pass
"""
RIGHT = """\
import torch

def masked_attention(q, k, v, mask):
    d = q.size(-1)
    weights = torch.einsum("...qd,...kd->...qk", q, k).div(d ** 0.5).softmax(-1)
    return torch.where(mask, weights, torch.zeros_like(weights)) @ v
"""


@pytest.fixture(scope="module")
def grader():
    grader = CodeGrader(timeout_s=30)  # far longer than any wait below
    grader.sandbox_layers()  # started and warm
    yield grader
    grader.close()


def test_cancel_ends_an_endless_check_and_keeps_the_worker(grader):
    question = load_library().questions[QUESTION]
    worker = grader.worker_pid
    result = {}
    thread = threading.Thread(target=lambda: result.update(v=grader.grade(question, ENDLESS)))
    thread.start()
    thread.join(0.5)
    assert thread.is_alive()  # the loop runs …
    grader.cancel()
    thread.join(10)  # … and a cancel ends it long before the 30 s limit would
    assert not thread.is_alive() and result["v"].status == "cancelled"
    assert grader.worker_pid == worker  # the worker answered and stays warm
    assert grader.grade(question, RIGHT).correct  # and grades the next submission


def _verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


def _status(app) -> str:
    """The status line: a check's state first, then the progress."""
    return str(app.screen.query_one("#progress", Static).render()).strip()


def _footer(app) -> set[str]:
    """The keys the footer shows now."""
    from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets

    return {key.description for key in app.screen.query_one(Footer).query(FooterKey) if key.display}


async def test_ctrl_c_or_esc_cancel_a_running_check_in_the_app(tmp_path: Path, grader):
    store = Store(tmp_path / "p.db")
    clock = lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # noqa: E731
    app = QuizApp(load_library(), store, clock=clock, grader=grader, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[QUESTION]), "Review")
        await pilot.pause()
        editor = app.screen.query_one("#code-answer", TextArea)
        feedback = app.screen.query_one("#feedback", Markdown)

        editor.text = WRONG
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _verdict(app).startswith("✗") and feedback.source

        for key in ("ctrl+c", "escape"):
            editor.text = ENDLESS
            await pilot.press("ctrl+r")
            assert _verdict(app) == "Checking your code…"
            assert _status(app).startswith("Checking your code…")
            assert feedback.source == ""  # the last failure is not left under it
            await pilot.pause(0.5)
            assert "Cancel check" in _footer(app)  # a check that takes a while says so
            await pilot.press(key)
            assert _verdict(app).startswith("Check cancelled")
            assert _status(app).startswith("Check cancelled")
            assert app.focused is editor  # esc cancelled; it did not leave the editor
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert _verdict(app).startswith("Check cancelled")  # no late verdict over it
            assert "Cancel check" not in _footer(app)

        editor.text = RIGHT
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _verdict(app).startswith("✓")

    statuses = [row["status"] for row in store.db["attempts"].rows]
    assert statuses == ["incorrect", "correct"]  # cancelled checks are not attempts


async def test_a_check_while_the_checker_starts_says_so_and_can_be_cancelled(tmp_path: Path):
    fresh = CodeGrader(timeout_s=30)  # not started: its first check waits for torch
    store = Store(tmp_path / "p.db")
    app = QuizApp(load_library(), store, grader=fresh, fuzz=False)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.start_session(app.new_session(question_ids=[QUESTION], mode="practice"), "P")
            await pilot.pause()
            editor = app.screen.query_one("#code-answer", TextArea)
            editor.text = RIGHT
            await pilot.press("ctrl+r")
            assert _status(app).startswith("Starting the checker")
            await pilot.press("ctrl+c")  # cancelled while the worker still starts
            assert _verdict(app).startswith("Check cancelled")
            assert _status(app).startswith("Check cancelled")
            await app.workers.wait_for_complete()
            for _ in range(600):  # the worker goes on starting in the background
                if fresh.ready:
                    break
                await pilot.pause(0.1)
            assert fresh.ready
            await pilot.press("ctrl+r")  # no word about starting now
            assert not _status(app).startswith("Starting")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert _verdict(app).startswith("✓")
    finally:
        fresh.close()
