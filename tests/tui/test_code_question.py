"""A code question in the TUI, checked by the real sandboxed grader from a thread worker."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeGrader
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

from testkit import pause_until

WRONG = """\
import math
import torch

def masked_attention(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1) @ v
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
    grader = CodeGrader(timeout_s=20)
    grader.start()
    yield grader
    grader.close()


def _verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


async def _run_check(app, pilot) -> None:
    """ctrl+r, then wait until the check's worker is done and its verdict line is new (a
    failed check's line comes a frame later, which a loaded machine may take a while to
    draw)."""
    before = _verdict(app)
    await pilot.press("ctrl+r")
    await app.workers.wait_for_complete()
    await pause_until(pilot, lambda: _verdict(app) not in ("", before))


async def test_wrong_then_right_code_keeps_the_last_attempt(tmp_path: Path, grader):
    library = load_library()
    store = Store(tmp_path / "p.db")
    clock = lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # noqa: E731
    app = QuizApp(library, store, clock=clock, grader=grader, fuzz=False)
    async with app.run_test(size=(120, 50)) as pilot:
        session = app.new_session(question_ids=["masking.zero-weights"])
        app.start_session(session, "Review")
        await pilot.pause()
        editor = app.screen.query_one("#code-answer", TextArea)
        assert "def masked_attention" in editor.text  # the stub

        editor.text = WRONG
        await _run_check(app, pilot)
        verdict = _verdict(app)
        assert verdict.startswith("✗ Not right yet")
        assert store.review_count() == 0  # a failed check is an attempt, not a review

        editor.text = RIGHT
        await _run_check(app, pilot)
        verdict = _verdict(app)
        assert verdict.startswith("✓")
        await pilot.press("escape")

    reviews = store.reviews("masking.zero-weights")
    # Passed after a failed check: rated Hard.
    assert [(r.correct, r.rating) for r in reviews] == [(True, 2)]
    assert store.last_attempt("masking.zero-weights") == RIGHT
    statuses = [row["status"] for row in store.db["attempts"].rows]
    assert statuses == ["incorrect", "correct"]
