"""At 80x24 a question opens with the question itself in view (study and mock exam), the
editor comes into view as soon as the student types, and a verdict is never below the fold
out of reach. The mock exam's code editor is the study screen's."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.editor import CodeEditor
from quizapp.tui.screens.mock import MockExamScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets import QuestionPane

from testkit import pause_until

CODE = "masking.zero-weights"
OPEN = "clr.supervised-alternative"
MULTIPLE = "vit.attention-distance"


def _app(tmp_path: Path, clock) -> QuizApp:
    return QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


def _prompt_in_view(screen) -> bool:
    """The prompt's first lines (its title and the start of the task) are on screen."""
    pane = screen.query_one("#question-pane", QuestionPane)
    prompt = screen.query_one("#prompt", Markdown)
    view = pane.content_region
    return pane.scroll_y == 0 and view.y <= prompt.region.y and prompt.region.y + 3 < view.bottom


def _laid_out(screen) -> bool:
    """The question's Markdown and its answer widget are on screen."""
    prompt = screen.query_one("#prompt", Markdown)
    return prompt.region.height > 3 and bool(screen.query_one("#answer-area").children)


def _cursor_in_view(screen, editor) -> bool:
    view = screen.query_one("#question-pane", QuestionPane).content_region
    return view.y <= editor.cursor_screen_offset.y < view.bottom


async def test_study_code_and_open_questions_open_with_the_question_in_view(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[CODE, OPEN], mode="practice"), "T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert await pause_until(pilot, lambda: _laid_out(screen))
        await pilot.pause()
        editor = screen.query_one("#code-answer", CodeEditor)
        assert app.focused is editor  # the keys go to the editor …
        assert _prompt_in_view(screen)  # … but the question is what shows
        assert not _cursor_in_view(screen, editor)  # too small for both at 80x24

        await pilot.press("end", "x")  # the first key brings the editor into view
        assert await pause_until(pilot, lambda: _cursor_in_view(screen, editor))
        assert editor.region.y >= screen.query_one("#question-pane").content_region.y

        await pilot.press("ctrl+n")  # skip to the open question
        assert await pause_until(pilot, lambda: screen.session.question.id == OPEN)
        assert await pause_until(pilot, lambda: _laid_out(screen))
        await pilot.pause()
        assert _prompt_in_view(screen)


async def test_multi_select_verdict_is_in_view_and_pagedown_scrolls(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[MULTIPLE], mode="practice"), "T")
        await pilot.pause(0.2)
        # Options are shuffled: pick a wrong one by identity, so the answer is always wrong.
        study = app.screen
        assert isinstance(study, StudyScreen)
        session = study.session
        assert session.current is not None
        shown = session.current.shown_options()
        wrong = next(i for i, o in enumerate(session.question.options) if not o.correct)
        await pilot.press(str(shown.index(wrong) + 1), "enter")
        await pilot.pause(0.2)
        screen = app.screen
        pane = screen.query_one("#question-pane", QuestionPane)
        verdict = screen.query_one("#verdict", Static)
        assert str(verdict.render()).startswith("✗")
        assert pane.content_region.contains_region(verdict.region)  # not below the fold
        before = pane.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > before  # the explanation below is reachable
        await pilot.press("pageup")
        await pilot.pause()
        assert pane.scroll_y <= before


async def _to_code_question(app, pilot) -> MockExamScreen:
    await pilot.press("m", "s")
    await pilot.pause(0.2)
    screen = app.screen
    assert isinstance(screen, MockExamScreen)
    while screen.exam.question_at(screen.exam.position).kind != "code":
        await pilot.press("ctrl+n")
        await pilot.pause(0.05)
    assert await pause_until(pilot, lambda: bool(screen.query("#mock-text-answer")))
    assert await pause_until(pilot, lambda: _laid_out(screen))
    await pilot.pause()
    return screen


async def test_mock_code_question_uses_the_study_editor_and_shows_the_question(
    tmp_path: Path, clock
):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_code_question(app, pilot)
        editor = screen.query_one("#mock-text-answer", CodeEditor)
        assert app.focused is editor
        assert _prompt_in_view(screen)

        editor.text = ""
        await pilot.press(*"def f(x):", "enter", *"if x:", "enter", *"return x")
        assert editor.text == "def f(x):\n    if x:\n        return x"  # Enter keeps indentation
        assert _cursor_in_view(screen, editor)
        await pilot.press("ctrl+a")
        assert editor.selected_text == editor.text  # select all, not "line start"

        await pilot.press("escape")  # as in study: esc leaves the editor first …
        assert isinstance(app.screen, MockExamScreen) and app.focused is None
        await pilot.press("escape")  # … then pauses the exam, the answer saved
        await pilot.pause()
        assert not isinstance(app.screen, MockExamScreen)
        saved = [a.answer for a in screen.exam.answers if a.answer and "def f" in a.answer]
        assert saved == ["def f(x):\n    if x:\n        return x"]
