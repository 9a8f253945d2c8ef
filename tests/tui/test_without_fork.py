"""Windows has no `os.fork`, which the sandbox needs: the app must still start and run
every kind of question but code, and code questions must say how to get checks. Tested
here by hiding `os.fork` (as the macOS path is tested by hiding waitid and pidfds)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static, TextArea

import quizapp
from quizapp.cli import main
from quizapp.diagnostics import sandbox_finding
from quizapp.tui.app import make_app
from quizapp.tui.screens.study import StudyScreen

from testkit import GOOD_DECKS

CODE_QUESTION = "clr.info-nce"


@pytest.fixture
def no_fork(monkeypatch):
    monkeypatch.delattr(os, "fork")


def _verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


def _footer_keys(app) -> list[str]:
    return [key.description for key in app.screen.query("Footer FooterKey") if key.display]


async def test_a_code_question_says_how_to_get_checks(no_fork, tmp_path: Path):
    app = make_app(tmp_path / "progress.db", [GOOD_DECKS])
    assert app.grader is None  # no worker is started where it cannot run
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=[CODE_QUESTION]), "Review")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert "def calc_info_nce" in app.screen.query_one("#code-answer", TextArea).text
        verdict = _verdict(app)
        assert "Code checks are not available on this system" in verdict
        assert "WSL" in verdict and "JupyterHub" in verdict
        assert "Run check" not in " ".join(_footer_keys(app))
        app.save_screenshot(str(tmp_path / "no-fork.svg"))

        await pilot.press("ctrl+r")  # nothing to run: the message stays, nothing breaks
        await pilot.pause()
        assert "Code checks are not available" in _verdict(app)

        await pilot.press("ctrl+g")  # the solution to compare with still works
        await pilot.press("enter")
        await pilot.pause()
        feedback = app.screen.query_one("#feedback", Markdown).source
        assert "A reference solution" in feedback
    reviews = app.store.reviews(CODE_QUESTION)
    assert [(r.correct, r.rating) for r in reviews] == [(False, 1)]


async def test_every_other_kind_works(no_fork, tmp_path: Path):
    app = make_app(tmp_path / "progress.db", [GOOD_DECKS], bundled=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.question.id == "basics.flash"
        await pilot.press("space", "3")
        assert app.screen.session.question.id == "basics.pick"
        current = app.screen.session.current
        assert current is not None
        await pilot.press(str(current.shown_options().index(0) + 1), "enter")
        assert _verdict(app).startswith("✓ Correct")
        await pilot.press("enter")
        assert app.screen.session.question.id == "basics.memory"
        app.screen.query_one("#numeric-answer", Input).value = "8192 GiB"
        await pilot.press("enter")
        assert _verdict(app).startswith("✓ Correct")
        await pilot.press("ctrl+q")
    answered = [(r.question_id, r.correct) for r in app.store.reviews()]
    assert answered == [("basics.flash", None), ("basics.pick", True), ("basics.memory", True)]


def test_the_shell_and_notebooks_say_it_too(no_fork, tmp_path: Path, capsys):
    solution = tmp_path / "mine.py"
    solution.write_text("def calc_info_nce(affinity_matrix):\n    return 0.0\n")
    assert main(["grade", CODE_QUESTION, str(solution)]) == 2
    assert "Code checks are not available" in capsys.readouterr().err
    assert main(["grade", "attention.tiny-weights", "--answer", "0.5", "--no-record"]) in (0, 1)

    result = quizapp.check(CODE_QUESTION, solution.read_text())
    assert result.status == "unavailable" and not result.correct
    assert "WSL" in result.text()

    finding = sandbox_finding()  # `quizapp doctor`
    assert finding.value.startswith("unavailable") and "WSL" in finding.value
