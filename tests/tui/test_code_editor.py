"""The code editor types Python like an editor does; esc and ctrl+g never lose work silently."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.confirm import Confirm
from quizapp.tui.editor import CodeEditor
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen

QUESTION = "masking.zero-weights"


def _app(tmp_path: Path, clock) -> QuizApp:
    return QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


async def _open_code_question(app, pilot, mode: str = "review") -> CodeEditor:
    home = app.screen
    assert isinstance(home, HomeScreen)
    app.start_session(app.new_session(question_ids=[QUESTION], mode=mode), "T")
    await pilot.pause()
    editor = app.screen.query_one("#code-answer", CodeEditor)
    assert app.focused is editor
    return editor


def _esc_label(app) -> str:
    return app.screen.active_bindings["escape"].binding.description


async def test_enter_keeps_indentation_tab_indents_shift_tab_dedents(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_code_question(app, pilot)
        editor.text = ""
        await pilot.press(*"def f(x):", "enter", *"y = x", "enter", *"if y:", "enter", *"y")
        assert editor.text == "def f(x):\n    y = x\n    if y:\n        y"
        await pilot.press("enter", "shift+tab", *"return y")
        assert editor.text.endswith("\n        y\n    return y")
        await pilot.press("enter", "tab", "x")
        assert editor.text.endswith("\n    return y\n        x")

        await pilot.press("ctrl+a")
        assert editor.selected_text == editor.text
        await pilot.press("shift+tab")  # dedent every selected line by one level
        assert editor.text.startswith("def f(x):\ny = x\nif y:\n    y\nreturn y\n    x")
        await pilot.press("tab")
        assert editor.text.startswith("    def f(x):\n    y = x\n    if y:\n        y\n")


async def test_esc_leaves_the_editor_then_goes_home_asking_when_edits_would_be_lost(
    tmp_path: Path, clock
):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_code_question(app, pilot)
        assert _esc_label(app) == "Leave editor"  # what the footer shows while typing

        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen) and app.focused is None
        assert _esc_label(app) == "Home"
        await pilot.press("escape")  # nothing typed: straight home
        assert isinstance(app.screen, HomeScreen)

        editor = await _open_code_question(app, pilot)
        await pilot.press("end", *"  # my change")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, StudyScreen)
        assert "# my change" in editor.text
        await pilot.press("escape")
        await pilot.press("y")
        assert isinstance(app.screen, HomeScreen)
    assert app.store.review_count() == 0


async def test_show_solution_asks_first_and_counts_as_again_only_when_confirmed(
    tmp_path: Path, clock
):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_code_question(app, pilot)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, Confirm)
        assert "counts as Again" in app.screen.detail
        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen) and app.screen.stage == "answer"
        assert app.store.review_count() == 0

        await pilot.press("ctrl+g", "y")
        await pilot.pause()
        assert app.screen.stage == "result"
        assert "A reference solution" in app.screen.query_one("#feedback", Markdown).source
    assert [(r.correct, r.rating) for r in app.store.reviews(QUESTION)] == [(False, 1)]
