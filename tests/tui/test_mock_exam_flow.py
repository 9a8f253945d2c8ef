"""A whole mock exam driven headless at 80x24: start from Home, answer half, quit in the
middle of typing, reopen the file, resume from Home, run out of time, rate, read the report."""

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Markdown, Static, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.progress import mock_exams
from quizapp.progress.store import Store
from quizapp.study.numeric_answers import format_value
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.mock import MockExamScreen, MockStartScreen
from quizapp.tui.screens.mock_results import MockResultsScreen

from testkit import FakeClock


class FakeGrader:
    """The CodeGrader interface the app uses; every submission passes."""

    def __init__(self) -> None:
        self.graded: list[str] = []

    def grade(self, question, source, *, seed=None):
        self.graded.append(question.id)
        return CodeVerdict("correct", "All cases pass.", 5, 5)

    def close(self) -> None:
        pass


def _app(db_path: Path, clock: FakeClock, library, grader) -> QuizApp:
    return QuizApp(library, Store(db_path), clock=clock, grader=grader, fuzz=False)


def _status(app) -> str:
    return str(app.screen.query_one("#mock-status", Static).render())


async def _answer_current(app, pilot, clock: FakeClock) -> str:
    """Answer the question on screen (right for calculations and choices) and move on."""
    screen = app.screen
    exam = screen.exam
    question = exam.question_at(exam.position)
    clock.now += timedelta(seconds=30)
    if question.kind == "numeric":
        field = screen.query_one("#mock-numeric", Input)
        field.value = format_value(exam.variant(exam.position).expected, question.unit)
        await pilot.press("enter")
    elif question.kind == "choice":
        shown = exam.variant(exam.position).shown_options()  # options are shuffled
        for position, index in enumerate(shown):
            if question.options[index].correct:
                await pilot.press(str(position + 1))
        await pilot.press("enter")
    else:
        editor = screen.query_one("#mock-text-answer", TextArea)
        editor.insert("# my answer\n" if question.kind == "code" else "My own explanation.")
        await pilot.pause()
        await pilot.press("ctrl+n")
    await pilot.pause()
    return question.kind


async def test_a_whole_mock_exam_with_a_quit_and_resume_in_the_middle(tmp_path: Path):
    db_path = tmp_path / "progress.db"
    clock = FakeClock()
    library = load_library()
    grader = FakeGrader()

    # -- first sitting: start from Home, answer six questions, quit while typing ----------
    app = _app(db_path, clock, library, grader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, MockStartScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MockExamScreen)
        exam = app.screen.exam
        assert len(exam) == 12 and "⏱ 60:00 left" in _status(app)
        footer = {
            binding.description
            for _node, binding, enabled, _tip in app.screen.active_bindings.values()
            if binding.show and enabled
        }
        assert {"Next", "Back", "Hand in"} <= footer
        # esc pauses; in the code editor it first leaves the editor, as in study
        assert ("Leave editor" if exam.question_at(0).kind == "code" else "Pause") in footer
        for _ in range(6):
            await _answer_current(app, pilot, clock)
        assert exam.position == 6 and exam.answered_count == 6
        assert "●●●●●●▶" in _status(app) and "⏱ 57:00 left" in _status(app)
        # Nothing was judged: no verdict, no review yet.
        assert app.store.review_count() == 0
        # Type into the 7th answer and quit before the typing pause would save it.
        question = exam.question_at(6)
        if question.kind in ("open", "code"):
            app.screen.query_one("#mock-text-answer", TextArea).insert("half a thought")
        else:
            app.screen.query_one("#mock-numeric", Input).value = "42"
        await pilot.pause()
        clock.now += timedelta(seconds=20)
        await pilot.press("ctrl+q")
    exam_id = exam.id

    saved = Store(db_path)
    answers = mock_exams.answers(saved, exam_id)
    assert all(a.answer is not None for a in answers[:7])  # the unfinished 7th too
    row = mock_exams.exam(saved, exam_id)
    assert (row.status, row.position, row.used_ms) == ("running", 6, 200_000)
    saved.close()

    # -- hours later: Home offers the exam, resume it, time runs out ----------------------
    clock.now += timedelta(hours=5)
    app = _app(db_path, clock, library, grader)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        hint = str(app.screen.query_one("#mock-line", Static).render())
        assert "Unfinished mock exam (56:40 left)" in hint
        await pilot.press("m", "r")
        await pilot.pause()
        assert isinstance(app.screen, MockExamScreen)
        exam = app.screen.exam
        assert exam.position == 6 and "⏱ 56:40 left" in _status(app)
        await pilot.press("ctrl+n")  # keep the half answer, go on
        await pilot.pause()
        for _ in range(3):
            await _answer_current(app, pilot, clock)
        clock.now += timedelta(hours=1)  # the student dawdles: time runs out
        await pilot.pause(1.2)  # the timer's next tick ends the exam
        assert isinstance(app.screen, MockResultsScreen)
        assert app.screen.exam.row.ended_by == "time"

        # -- leave before rating: Home says so, and m / r come back to the ratings --------
        await pilot.press("escape")
        await pilot.pause()
        hint = str(app.screen.query_one("#mock-line", Static).render())
        assert "rate your open answers" in hint
        await pilot.press("m", "r")
        await pilot.pause()
        assert isinstance(app.screen, MockResultsScreen)
        results = app.screen

        # -- after the end: rate the open answers, code is checked meanwhile ---------------
        while results.stage == "rating":
            await pilot.press("1", "enter")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results.stage == "report"
        report = results.query_one("#prompt", Markdown).source
        assert "## Questions" in report and "## Topics" in report and "time ran out" in report
        assert "points (" in _status(app) and "10 answered, saved as reviews" in _status(app)

    store = Store(db_path)
    done = mock_exams.exam(store, exam_id)
    answered = [a for a in mock_exams.answers(store, exam_id) if a.answer is not None]
    assert done.status == "done" and done.max_score == 30
    assert len(answered) == 10 and all(a.review_id for a in answered)
    assert store.review_count() == 10
    code = [a for a in answered if library.questions[a.question_id].kind == "code"]
    assert sorted(grader.graded) == sorted(a.question_id for a in code)
    assert all(a.points == a.points_max for a in code)
    store.close()


async def test_handing_in_at_once_records_nothing_and_says_so(tmp_path: Path):
    clock = FakeClock()
    app = _app(tmp_path / "progress.db", clock, load_library(), FakeGrader())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        await pilot.pause()
        assert isinstance(app.screen, MockExamScreen)
        await pilot.press("ctrl+t", "ctrl+t")  # hand in, and confirm
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MockResultsScreen) and app.screen.stage == "report"
        assert "0 / 30 points (0%) · nothing answered or recorded" in _status(app)
        assert app.store.review_count() == 0  # not reaching a question says nothing of memory
