"""When the progress database cannot be written (here: another program keeps it locked),
the app says so and keeps running, with the student's answer still on screen; once the
lock is gone the same answer goes in, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from quizapp.decks.content import load_library
from quizapp.progress import mock_exams
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockExamScreen
from quizapp.tui.screens.mock_results import MockResultsScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.study_base import Stage

from testkit import GOOD_DECKS, FakeClock, PassingGrader, locked_by_another_program, pause_until

pytestmark = pytest.mark.usefixtures("short_busy_timeout")  # no real 15 s waits


def _not_saved_messages(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Not saved"]


async def test_a_numeric_answer_and_a_rating_survive_a_locked_database(tmp_path: Path):
    db_path = tmp_path / "[bold]progress.db"  # the message names the file: never markup
    app = QuizApp(
        load_library([GOOD_DECKS], bundled=False),
        Store(db_path),
        clock=FakeClock(),
        grader=None,
        fuzz=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.question.id == "basics.flash"
        await pilot.press("space")
        with locked_by_another_program(db_path):
            await pilot.press("3")
            await pilot.pause()
            assert app.is_running
            assert screen.stage == Stage.REVEALED  # still on the card, to rate again
            assert screen.session.question.id == "basics.flash"
            assert "locked" in _not_saved_messages(app)[-1]
            assert f"save to {db_path}:" in _not_saved_messages(app)[-1]
            assert not any(n.markup for n in app._notifications)
        await pilot.press("3")
        await pilot.pause()
        assert screen.session.question.id == "basics.pick"
        await pilot.press("ctrl+n")  # skip the choice question
        assert screen.session.question.id == "basics.memory"

        field = screen.query_one("#numeric-answer", Input)
        field.value = "8796 GB"
        with locked_by_another_program(db_path):
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running and screen.stage == Stage.ANSWER
            assert field.value == "8796 GB"  # what the student typed is still there
            assert len(_not_saved_messages(app)) == 2
        await pilot.press("enter")
        await pilot.pause()
        assert screen.stage == Stage.RESULT
    store = Store(db_path)
    assert [r.question_id for r in store.reviews()] == ["basics.flash", "basics.memory"]


async def test_a_mock_exam_answer_is_not_left_behind_when_saving_fails(tmp_path: Path):
    db_path = tmp_path / "progress.db"
    clock = FakeClock()
    app = QuizApp(load_library(), Store(db_path), clock=clock, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockExamScreen)
        kind = screen.exam.question_at(0).kind
        with locked_by_another_program(db_path):
            if kind in ("open", "code"):
                screen.query_one("#mock-text-answer", TextArea).insert("my answer")
            elif kind == "choice":
                await pilot.press("1")
            else:
                screen.query_one("#mock-numeric", Input).value = "42"
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert app.is_running
            assert screen.exam.position == 0  # not moved on while the answer is unsaved
            assert _not_saved_messages(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.exam.position == 1
        exam_id = screen.exam.id
    answer = mock_exams.answers(Store(db_path), exam_id)[0].answer
    assert answer is not None
    assert kind == "choice" or "my answer" in answer or "42" in answer


async def test_a_passing_code_check_that_cannot_be_saved_keeps_the_code_to_check_again(
    tmp_path: Path,
):
    db_path = tmp_path / "progress.db"
    store = Store(db_path)
    app = QuizApp(load_library(), store, clock=FakeClock(), grader=PassingGrader(), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "Review")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        editor = screen.query_one("#code-answer", TextArea)
        editor.text = "def masked_attention(q, k, v, mask):\n    return q  # mine\n"
        with locked_by_another_program(db_path):
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pause_until(pilot, lambda: "Not saved" in _verdict(screen))
            assert app.is_running and screen.stage == Stage.ANSWER
            assert "ctrl+r" in _verdict(screen) and "fix it" not in _verdict(screen)
            assert "return q  # mine" in editor.text
            assert _not_saved_messages(app)
        assert store.review_count() == 0
        await pilot.press("ctrl+r")  # the lock is gone: the same code, checked again
        await app.workers.wait_for_complete()
        await pause_until(pilot, lambda: screen.stage == Stage.RESULT)
        assert screen.stage == Stage.RESULT
    assert [r.question_id for r in Store(db_path).reviews()] == ["masking.zero-weights"]


def _verdict(screen) -> str:
    return str(screen.query_one("#verdict", Static).render())


async def test_rating_a_mock_answer_that_cannot_be_saved_keeps_the_ticks(tmp_path: Path):
    db_path = tmp_path / "progress.db"
    app = QuizApp(
        load_library(), Store(db_path), clock=FakeClock(), grader=PassingGrader(), fuzz=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        await pilot.pause()
        assert isinstance(app.screen, MockExamScreen)
        exam = app.screen.exam
        open_positions = [p for p in range(len(exam)) if exam.question_at(p).kind == "open"]
        assert open_positions  # the sheet always has questions to explain
        for position in open_positions:
            exam.save_answer("My own explanation.", position)
        await pilot.press("ctrl+t", "ctrl+t")  # hand in, and confirm
        await pilot.pause()
        results = app.screen
        assert isinstance(results, MockResultsScreen) and results.stage == "rating"
        first = results.rating_position
        assert first is not None
        with locked_by_another_program(db_path):
            await pilot.press("1", "enter")
            await pilot.pause()
            assert app.is_running and _not_saved_messages(app)
            assert results.rating_position == first  # still this answer, ticks kept
            assert exam.answers[first].points is None
        await pilot.press("enter")  # the lock is gone: the same ticks, saved
        await pilot.pause()
        assert results.rating_position != first
    assert mock_exams.answers(Store(db_path), exam.id)[first].points is not None
