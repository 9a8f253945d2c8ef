"""Help states the numbers the app really uses (the leech threshold) and no automatic Easy."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Markdown

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.help import HelpScreen, help_text

from testkit import GOOD_DECKS


def test_help_text_takes_its_numbers_from_the_constants():
    text = help_text(13)
    assert "right → *Good*" in text and "seconds" not in text  # speed never rates Easy
    assert "fail 13 times is a *leech*" in text
    assert "{" not in text  # every placeholder filled


async def test_help_shows_the_students_own_leech_threshold(tmp_path):
    store = Store(tmp_path / "p.db")
    store.set_setting("leech_threshold", 5)
    library = load_library([GOOD_DECKS], bundled=False)
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    app = QuizApp(library, store, clock=lambda: now, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert "fail 5 times is a *leech*" in source
