"""What the study screen shows: rendered math in per-option feedback, one verdict per check."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Markdown, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets import ChoiceList

from testkit import PassingGrader


def _shown(renderable, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_per_option_feedback_shows_math_and_emphasis_rendered(tmp_path: Path, clock):
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)
    async with app.run_test(size=(100, 30)) as pilot:
        ids = ["seq2seq.context-vector-choice"]
        app.start_session(app.new_session(question_ids=ids, mode="practice"), "T")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.current is not None
        choices = app.screen.query_one("#choices", ChoiceList)
        shown = app.screen.session.current.shown_options()
        await pilot.press(str(shown.index(1) + 1), "enter")  # wrong, with a "why" in LaTeX
        await pilot.pause()
        text = _shown(choices.render(), width=300)
        assert "c = q({h₁, …, h_(T_x)})" in text
        assert "each target word y_i gets its own c_i." in text
        assert "$" not in text and "\\" not in text
        # the box grew with the verdict rows: every option and verdict stays inside it
        lines = _shown(choices.render(), width=choices.content_size.width).rstrip("\n")
        assert choices.content_size.height == lines.count("\n") + 1


async def test_a_passing_check_says_correct_once_without_markdown_marks(tmp_path: Path, clock):
    library = load_library()
    app = QuizApp(library, Store(tmp_path / "p.db"), clock=clock, grader=PassingGrader())
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "T")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        feedback = app.screen.query_one("#feedback", Markdown).source
        feedback += app.screen.query_one("#explanation", Markdown).source
        assert verdict.startswith("✓ Correct: all 4 test cases match the reference.")
        assert "**" not in verdict
        assert (verdict + feedback).count("Correct") == 1  # the verdict line says it, once
