"""A wrong numeric answer that matches a known mistake shows the mistake's hint on screen."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

MISTAKE_DECKS = Path(__file__).parent.parent / "decks" / "mistakes"


def _app(db_path: Path) -> QuizApp:
    return QuizApp(
        load_library([MISTAKE_DECKS], bundled=False),
        Store(db_path),
        clock=lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        grader=None,
        fuzz=False,
    )


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_the_hint_of_the_matching_mistake_is_shown_with_the_verdict(tmp_path, size):
    app = _app(tmp_path / "progress.db")
    async with app.run_test(size=size) as pilot:
        await pilot.press("r")
        assert app.screen.session.question.id == "memo.pixels"
        app.screen.query_one("#numeric-answer", Input).value = "70.4 TB"  # bits, not bytes
        await pilot.press("enter")
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert verdict.startswith("✗ Not quite: expected 8796 GB. That is the size in bits.")
        assert "left out the heads" not in verdict
        # The explanation below works through the numbers that were asked.
        feedback = app.screen.query_one("#explanation", Markdown).source
        assert "= 8796093022208 B" in feedback and "i.e. 8796 GB" in feedback
        await pilot.press("ctrl+q")
    [review] = Store(tmp_path / "progress.db").reviews("memo.pixels")
    assert (review.correct, review.answer) == (False, "70.4 TB")
