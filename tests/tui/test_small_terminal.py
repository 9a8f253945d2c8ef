"""At 80x24 nothing essential is cut: every table column, every footer key, the question id."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Static
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.widgets import ChoiceList, FittedTable

DECKS = Path(__file__).parent.parent / "decks" / "screens"


def _app(tmp_path: Path, clock) -> QuizApp:
    library = load_library([DECKS], bundled=False, cache=False)
    return QuizApp(library, Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


def _fits(table: FittedTable) -> None:
    widths = sum(column.get_render_width(table) for column in table.columns.values())
    assert widths <= table.size.width, "a column is pushed out of view"


async def test_tables_and_footer_fit_80_columns_and_use_160(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        topics = app.screen.query_one("#topics", FittedTable)
        _fits(topics)
        title = str(topics.get_row_at(0)[0])
        assert title.endswith("…") and title.startswith("Self-attention")
        footer = app.screen.query_one(Footer)
        assert footer.has_class("-rows")  # two rows rather than keys cut off
        shown = {key.description for key in footer.query(FooterKey) if key.display}
        assert {"Review", "Browse", "Settings", "Help", "Quit"} <= shown
        assert all(key.region.right <= 80 for key in footer.query(FooterKey))

        await pilot.press("b")
        questions = app.screen.query_one("#questions", FittedTable)
        _fits(questions)
        assert [c.label.plain for c in questions.columns.values()][-3:] == [
            "Due",
            "Reviews",
            "Lapses",
        ]

        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        _fits(questions)
        assert not any(str(row[0]).endswith("…") for row in map(questions.get_row_at, [0, 1]))
        assert not app.screen.query_one(Footer).has_class("-rows")


async def test_study_header_keeps_the_question_id(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        title = "Weak · " + "A very long list of topic names " * 3
        app.start_session(app.new_session(question_ids=["attn.pick"], mode="practice"), title)
        await pilot.pause()
        question_id = app.screen.query_one("#question-id", Static)
        assert "attn.pick" in str(question_id.render())
        assert question_id.region.right <= 80 and question_id.region.width >= len("attn.pick")


def test_ticked_boxes_are_shown_not_read_as_markup():
    widget = ChoiceList(["one", "*two*"], multiple=True)
    widget.selected = {0}
    console = Console(width=40, record=True, file=io.StringIO())
    console.print(widget.render())
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert lines[:2] == ["1. [x] one", "2. [ ] two"]


async def test_the_exam_plan_fits_80x24(tmp_path: Path, clock):
    from datetime import timedelta

    from quizapp.study import insights
    from quizapp.tui.screens.plan import PlanScreen

    app = _app(tmp_path, clock)
    exam_day = (clock() + timedelta(days=12)).astimezone().date()
    insights.set_exam_date(app.store, exam_day)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        days = app.screen.query_one("#plan-days", FittedTable)
        _fits(days)
        assert days.row_count == 12 and days.size.height >= 5  # the plot leaves room for days
        head = str(app.screen.query_one("#plan-head", Static).render())
        assert "Expected on exam day" in head
        shown = {
            key.description for key in app.screen.query_one(Footer).query(FooterKey) if key.display
        }
        assert {"Study today", "More time", "Less time", "Home"} <= shown
        assert all(key.region.right <= 80 for key in app.screen.query(FooterKey))
        await pilot.press("plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.plan is not None and app.screen.plan.minutes == 35
