"""ctrl+e on a code question: the code goes to $VISUAL/$EDITOR and comes back into the buffer."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.external_editor import NO_EDITOR

QUESTION = "masking.zero-weights"

# An "editor" that rewrites the function body and notes which file it was given.
FAKE_EDITOR = """
import sys
from pathlib import Path
seen, path = Path(sys.argv[1]), Path(sys.argv[2])  # the file to edit comes last
seen.write_text(path.name)
path.write_text(path.read_text().replace("    ...", "    return v  # edited outside"))
"""


@pytest.fixture
def headless_suspend(monkeypatch):
    """The test driver cannot lend a terminal; suspend as a no-op lets the editor run."""
    monkeypatch.setattr(QuizApp, "suspend", lambda self: contextlib.nullcontext())


def _app(tmp_path: Path, clock) -> QuizApp:
    return QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


async def _open(app, pilot):
    app.start_session(app.new_session(question_ids=[QUESTION], mode="review"), "T")
    await pilot.pause()
    return app.screen.query_one("#code-answer")


async def test_ctrl_e_edits_in_the_editor_and_reloads_the_buffer(
    tmp_path, clock, monkeypatch, headless_suspend
):
    script, seen = tmp_path / "editor.py", tmp_path / "seen.txt"
    script.write_text(FAKE_EDITOR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {seen}")
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open(app, pilot)
        assert "return v" not in editor.text
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "    return v  # edited outside" in editor.text
        assert seen.read_text() == "masked_attention.py"  # a .py file named after the function
        assert app.focused is editor
        await pilot.press("ctrl+z")  # the reload is one undoable edit
        assert "return v" not in editor.text


async def test_visual_wins_over_editor_and_a_failing_editor_changes_nothing(
    tmp_path, clock, monkeypatch, headless_suspend
):
    monkeypatch.setenv("VISUAL", "false")  # exits 1, as `:cq` in vim does
    monkeypatch.setenv("EDITOR", "true")
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open(app, pilot)
        before = editor.text
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert editor.text == before
        messages = [n.message for n in app._notifications]
        assert any("false exited with status 1" in m for m in messages), messages


async def test_without_an_editor_it_says_how_to_set_one(tmp_path, clock, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open(app, pilot)
        before = editor.text
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert editor.text == before
        assert [n.message for n in app._notifications] == [NO_EDITOR]


async def test_ctrl_e_only_on_code_questions(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["attention.self-attention"]), "T")
        await pilot.pause()
        assert "open_editor" not in {
            b.binding.action for b in app.screen.active_bindings.values() if b.enabled
        }
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert not list(app._notifications)
