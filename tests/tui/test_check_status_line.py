"""A code check's state shows at once on the status line at the top (always in view, and
repainted without a layout), while the pane stays on the student's code; the verdict
lands there first, then in the pane with the explanation, scrolled to the top."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Static, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets import QuestionPane

from testkit import passing_verdict

QUESTION = "masking.zero-weights"
PASSING = passing_verdict()
FAILING = CodeVerdict("incorrect", "Not quite: 1 of 4 test cases pass.", 1, 4)


class HeldGrader:
    """Answers each check with the next verdict, once the test lets it (`release`)."""

    def __init__(self, *verdicts: CodeVerdict) -> None:
        self.verdicts = list(verdicts)
        self.go = threading.Event()
        self.started = threading.Event()

    def grade(self, question, source, *, seed=None):
        self.started.set()
        assert self.go.wait(10)
        self.go.clear()
        return self.verdicts.pop(0)

    def close(self) -> None:
        pass


def _status(app) -> str:
    return str(app.screen.query_one("#progress", Static).render()).strip()


def _verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


async def _check(app, pilot, grader: HeldGrader) -> tuple[str, float]:
    """ctrl+r; the status line and the pane's scroll while the grader still works."""
    pane = app.screen.query_one("#question-pane", QuestionPane)
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert grader.started.wait(5)
    grader.started.clear()
    return _status(app), pane.scroll_y


async def test_the_status_line_says_checking_then_the_verdict_and_the_pane_follows(
    tmp_path: Path, clock
):
    grader = HeldGrader(FAILING, PASSING)
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=grader)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[QUESTION]), "T")
        await pilot.pause()
        progress = app.screen.query_one("#progress", Static)
        before = _status(app)
        assert before.startswith("0 done")
        pane = app.screen.query_one("#question-pane", QuestionPane)
        editor = app.screen.query_one("#code-answer", TextArea)
        editor.text = "def masked_attention(q, k, v, mask):\n    return v\n"
        scrolled = pane.scroll_y

        status, scroll_while_checking = await _check(app, pilot, grader)
        assert status.startswith("Checking your code…") and status.endswith(before[-20:])
        assert progress.has_class("checking")
        assert scroll_while_checking == scrolled  # the pane stays on the code meanwhile
        assert _verdict(app) == ""  # nothing from an earlier check to clear

        grader.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause(0.05)
        assert _status(app).startswith("✗ Not right yet")
        assert progress.has_class("wrong")
        assert _verdict(app).startswith("✗ Not right yet")
        verdict = app.screen.query_one("#verdict", Static)
        feedback = app.screen.query_one("#feedback")
        assert pane.region.contains_region(verdict.region)  # the verdict and its report
        assert pane.region.contains_region(feedback.region)  # in view: the pane went there

        # a second check: the old failure is history at once, in the pane and above it
        editor.text = "def masked_attention(q, k, v, mask):\n    return q\n"
        status, _ = await _check(app, pilot, grader)
        assert status.startswith("Checking your code…")
        assert _verdict(app) == "Checking your code…"

        grader.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause(0.05)
        assert _status(app).startswith("✓ Correct: all 4 test cases match the reference")
        assert "1 done" in _status(app)
        assert progress.has_class("correct")
        assert _verdict(app).startswith("✓ Correct")
        assert app.screen.query_one("#explanation").display
        assert 0 <= verdict.region.y - pane.content_region.y <= 1  # at the top, as ever

        await pilot.press("n")  # the session's end: a fresh question clears the line
        await pilot.pause()


async def test_a_new_question_starts_with_a_plain_status_line(tmp_path: Path, clock):
    grader = HeldGrader(PASSING)
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=grader)
    other = next(
        q.id for q in load_library().questions.values() if q.kind == "numeric" and q.id != QUESTION
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[QUESTION, other], mode="practice"), "T")
        await pilot.pause()
        grader.go.set()
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _status(app).startswith("✓ Correct")
        await pilot.press("n")
        await pilot.pause()
        assert _status(app).startswith("1 done")
        assert not app.screen.query_one("#progress", Static).classes
