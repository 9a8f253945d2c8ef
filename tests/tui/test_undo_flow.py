"""Rating a flashcard moves straight on; `u` brings it back and takes the answer out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Markdown

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen

from testkit import GOOD_DECKS


def _footer_keys(app) -> list[str]:
    return [key.description for key in app.screen.query("Footer FooterKey") if key.display]


def _cards(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT * FROM cards ORDER BY question_id").fetchall()


async def test_rate_moves_on_and_u_undoes_it(tmp_path: Path, clock):
    db_path = tmp_path / "progress.db"
    library = load_library([GOOD_DECKS], bundled=False, cache=False)
    app = QuizApp(library, Store(db_path), clock=clock, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.question.id == "basics.flash"
        assert "Undo" not in _footer_keys(app)  # nothing answered yet
        await pilot.press("space")
        explanation = screen.query_one("#explanation", Markdown)
        assert (
            explanation.display and "Why the back is right." in explanation.source
        )  # the explanation comes with the back
        clock.advance(seconds=20)
        await pilot.press("3")
        await pilot.pause()
        assert screen.session.question.id == "basics.pick"  # no extra key to go on
        assert "Undo" in _footer_keys(app)
        assert app.store.review_count() == 1 and len(_cards(db_path)) == 1

        await pilot.press("u")
        await pilot.pause()
        assert screen.session.question.id == "basics.flash"
        assert screen.stage == "answer" and not screen.query_one("#card-back").display
        assert app.store.review_count() == 0 and _cards(db_path) == []
        assert "0 done" in str(screen.query_one("#progress").render())
        assert "Answer undone" in str(screen.query_one("#verdict").render())

        await pilot.press("space", "1")  # answered again, differently
        await pilot.press("1", "enter")  # some answer to the choice question
        await pilot.pause()
        await pilot.press("enter")  # on to the numeric question: its field has the focus
        await pilot.pause()
        assert screen.session.question.id == "basics.memory"
        assert "Undo" not in _footer_keys(app)  # u types a letter in the answer field
        await pilot.press("u")
        assert screen.session.question.id == "basics.memory"
    ratings = [(r.question_id, r.rating) for r in Store(db_path).reviews()]
    assert ratings[0] == ("basics.flash", 1)
    assert len(ratings) == 2
