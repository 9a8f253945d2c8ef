"""The TUI end to end: study from Home, quit, reopen the same file and find everything."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Markdown, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen

from testkit import GOOD_DECKS, FakeClock


def _app(db_path: Path, clock: FakeClock) -> QuizApp:
    return QuizApp(
        load_library([GOOD_DECKS], bundled=False),
        Store(db_path),
        clock=clock,
        grader=None,
        fuzz=False,
    )


def _verdict(app) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


async def test_numeric_flashcard_choice_then_quit_and_reopen(tmp_path: Path):
    db_path = tmp_path / "progress.db"
    clock = FakeClock()
    app = _app(db_path, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        table = app.screen.query_one("#topics", DataTable)
        assert table.row_count == 1
        assert "4 new today" in str(app.screen.query_one("#summary", Static).render())

        await pilot.press("r")
        assert isinstance(app.screen, StudyScreen)

        assert app.screen.session.question.id == "basics.flash"
        await pilot.press("space")
        assert app.screen.query_one("#card-back", Markdown).display
        clock.now += timedelta(seconds=20)
        await pilot.press("3")  # rating moves straight on, as in Anki
        assert "Last answer: Good · next review in 10 min · u undoes it" in _verdict(app)

        assert app.screen.session.question.id == "basics.pick"
        assert app.screen.session.current is not None  # a question is shown
        right = app.screen.session.current.shown_options().index(0)  # options are shuffled
        await pilot.press(str(right + 1), "enter")
        assert _verdict(app).startswith("✓ Correct")
        assert "(Good · next review in 10 min)" in _verdict(app)  # fast, yet not Easy on its own
        await pilot.press("4")  # it was easy: the student says so before moving on
        assert "(Easy · next review in" in _verdict(app)
        await pilot.press("enter")

        # Wrong on the numeric question...
        assert app.screen.session.question.id == "basics.memory"
        app.screen.query_one("#numeric-answer", Input).value = "4 TB"
        await pilot.press("enter")
        assert _verdict(app).startswith("✗ Not quite: expected 8796 GB")
        await pilot.press("enter")  # next question

        assert app.screen.session.question.id == "basics.essay"
        await pilot.press("ctrl+n")  # skip the open question
        # The flashcard is in a 10-minute learning step, so it is shown again: skip it too.
        assert app.screen.session.question.id == "basics.flash"
        await pilot.press("ctrl+n")
        # The numeric question comes back in this session; nonsense is not recorded, the right value is.
        assert app.screen.session.question.id == "basics.memory"
        clock.now += timedelta(minutes=2)
        field = app.screen.query_one("#numeric-answer", Input)
        field.value = "cheese"
        await pilot.press("enter")
        assert "Could not read that answer" in _verdict(app)
        field.value = "8192 GiB"
        await pilot.press("enter")
        assert _verdict(app).startswith("✓ Correct")
        await pilot.press("ctrl+q")

    store = Store(db_path)
    reviews = store.reviews()
    assert [(r.question_id, r.correct, r.rating) for r in reviews] == [
        ("basics.flash", None, 3),
        ("basics.pick", True, 4),
        ("basics.memory", False, 1),
        ("basics.memory", True, 3),
    ]
    assert [r.answer for r in reviews][2] == "4 TB"
    flash = store.card("basics.flash")
    assert flash is not None
    assert flash.due == datetime(2026, 11, 2, 9, 10, 20, tzinfo=UTC)  # FSRS learning step of 10 min
    assert store.card("basics.essay") is None  # skipped: not answered, not introduced
    memory = store.card("basics.memory")
    assert memory is not None
    assert memory.reps == 2 and memory.due > clock.now

    # Reopening shows the same progress on Home.
    app = _app(db_path, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "1 new today" in summary
        table = app.screen.query_one("#topics", DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert str(table.get_row_at(0)[labels.index("Seen")]) == "3/4"
        await pilot.press("q")


async def test_help_overlay_opens_and_closes(tmp_path: Path):
    app = _app(tmp_path / "p.db", FakeClock())
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "HomeScreen"


def _footer_keys(app) -> list[str]:
    """Descriptions of the keys the footer of the current screen shows, left to right."""
    return [key.description for key in app.screen.query("Footer FooterKey") if key.display]


async def test_footer_follows_each_stage_and_screen(tmp_path: Path):
    app = _app(tmp_path / "progress.db", FakeClock())
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        assert "Review" in _footer_keys(app)

        await pilot.press("r")
        await pilot.pause()
        before = _footer_keys(app)
        assert "Reveal" in before and "Good" not in before

        await pilot.press("space")
        await pilot.pause()
        after = _footer_keys(app)
        # each rating key carries its next interval: "Again 1m", "Good 10m" …
        assert {"Again", "Hard", "Good", "Easy"} <= {k.split()[0] for k in after}
        assert "Reveal" not in after

        await pilot.press("escape")
        await pilot.pause()
        assert "Review" in _footer_keys(app) and "Again" not in _footer_keys(app)
