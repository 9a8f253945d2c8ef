"""Every failed check is shown alike, whatever its status: its label from `Status.label` and
the one `wrong` style, so a new status needs no change to the screens or the stylesheet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from quizapp.decks.content import Question, load_library
from quizapp.grading.verdict import CodeVerdict, Status
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

QUESTION = "masking.zero-weights"


class _Answers:
    """A grader that answers every check with one status (no sandbox needed)."""

    def __init__(self, status: Status) -> None:
        self.status = status

    def grade(self, question: Question, source: str, *, seed: int | None = None) -> CodeVerdict:
        return CodeVerdict(self.status, f"{self.status.label}.", 0, 4)

    def close(self) -> None:
        pass


pytestmark = pytest.mark.slow  # starts the app once per status


@pytest.mark.parametrize("status", [Status.INVALID, Status.TIMEOUT, Status.INCORRECT])
async def test_a_failed_check_of_any_status_is_labelled_and_styled_alike(tmp_path: Path, status):
    clock = lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # noqa: E731
    store = Store(tmp_path / "p.db")
    app = QuizApp(load_library(), store, clock=clock, grader=_Answers(status), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[QUESTION]), "Review")
        await pilot.pause()
        app.screen.query_one("#code-answer", TextArea).text = "def masked_attention(): pass\n"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = app.screen.query_one("#verdict", Static)
        assert status.label in str(verdict.render())
        assert verdict.has_class("wrong") and verdict.classes == {"wrong"}
    assert store.review_count() == 0  # a failed check is an attempt, not a review
