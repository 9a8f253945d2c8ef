"""The misconceptions panel and the drill, driven through the pilot at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from quizapp.decks.content import load_library
from quizapp.misconceptions.tracking import tracked
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.misconceptions import MisconceptionsScreen

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LIBRARY = load_library()


def _with_misconceptions(db_path: Path, *, dot_products: bool = True) -> None:
    store = Store(db_path)
    session = StudySession(
        LIBRARY, store, Planner.from_store(store, fuzz=False), question_ids=[], clock=lambda: START
    )
    session.show("attention.score-memory", fixed=True)
    session.answer_numeric("25.17 MB")  # heads left out
    if dot_products:
        session.show("clr.cosine-similarity", fixed=True)
        session.answer_numeric("4")  # the dot product
    store.close()


def _app(db_path: Path, now: datetime) -> QuizApp:
    return QuizApp(LIBRARY, Store(db_path), clock=lambda: now, grader=None, fuzz=False)


async def test_home_names_open_misconceptions_and_i_lists_them_at_80x24(tmp_path):
    db = tmp_path / "progress.db"
    _with_misconceptions(db)
    app = _app(db, START + timedelta(hours=1))
    async with app.run_test(size=(80, 24)) as pilot:
        line = str(app.screen.query_one("#misconceptions-line", Static).render())
        assert line.startswith("2 open misconceptions (2 due):") and "d drill" in line
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MisconceptionsScreen)
        table = app.screen.query_one("#misconceptions", DataTable)
        assert table.row_count == 2
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(2)]
        assert ["Heads left out", "1"] in [r[:2] for r in rows]
        assert all(r[3] == "due" for r in rows)
        head = str(app.screen.query_one("#misconceptions-head", Static).render())
        assert head.startswith("2 open · 0 fixed")
        detail = str(app.screen.query_one("#misconception-detail", Static).render())
        assert detail.startswith("Wrong: ") and "\nRight: " in detail
        # everything fits: the table's columns and the detail stay inside 80 columns
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
        app.save_screenshot(str(tmp_path / "misconceptions.svg"))
        await pilot.press("escape")
        await pilot.press("ctrl+q")


async def test_d_drills_an_open_misconception_and_a_right_answer_fixes_it(tmp_path):
    db = tmp_path / "progress.db"
    _with_misconceptions(db, dot_products=False)  # heads left out: numeric questions only
    app = _app(db, START + timedelta(hours=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.heading.startswith("Drill")
        session = app.screen.session
        assert session.drilled(session.question.id) == "heads-forgotten"
        variant = session.current
        assert variant.params["heads"] > 1  # a variant where leaving out the heads matters
        answer = f"{variant.expected:.6g} {variant.question.unit}"
        app.screen.query_one("#numeric-answer", Input).value = answer
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#verdict", Static).render()).startswith("✓")
        app.save_screenshot(str(tmp_path / "drill.svg"))
        await pilot.press("ctrl+q")
    [item] = tracked(LIBRARY, Store(db))
    assert item.fixed and item.right_since == 1


async def test_drill_with_nothing_open_says_so(tmp_path):
    app = _app(tmp_path / "progress.db", START)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert any("No open misconceptions" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
