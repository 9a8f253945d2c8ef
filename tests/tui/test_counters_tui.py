"""The progress line, the Settings exam date and Home's weak flags, on screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fsrs import Rating
from textual.widgets import DataTable, Input, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study import insights
from quizapp.study.stats import topic_summaries
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import WEAK_MARK
from quizapp.tui.screens.study import StudyScreen

INSIGHT_DECKS = Path(__file__).parent.parent / "insights" / "decks"


def _app(tmp_path: Path, clock) -> QuizApp:
    library = load_library([INSIGHT_DECKS], bundled=False, cache=False)
    return QuizApp(library, Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


def _text(widget) -> str:
    return str(widget.render())


async def test_progress_line_after_the_first_card_and_a_skip(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    app.store.set_setting("new_per_day", 5)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        progress = app.screen.query_one("#progress", Static)
        assert "0 done · 5 left ·" in _text(progress)
        await pilot.press("space", "3")  # Good: a learning step, back in 10 minutes
        assert "1 done · 4 left +1 repeat ·" in _text(progress)
        await pilot.press("ctrl+n")  # a skipped new card gives its place to another
        assert "1 done · 4 left +1 repeat ·" in _text(progress)


async def test_settings_refuse_an_exam_date_in_the_past(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        field = app.screen.query_one("#exam", Input)
        field.value = (clock().date() - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        message = _text(app.screen.query_one("#settings-message", Static))
        assert "is in the past" in message and "Saved" not in message
        assert app.store.get_setting("exam_date") is None
        field.value = (clock().date() + timedelta(days=30)).isoformat()
        await pilot.press("ctrl+s")
        assert app.store.get_setting("exam_date") is not None


async def test_home_flags_agree_with_the_legend(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    ids = [f"{topic}.card{i}" for topic in ("alpha", "beta") for i in range(1, 5)]
    session = app.new_session(question_ids=ids)
    for _ in ids:  # each once (Again cards would come back for ever)
        session.next()
        session.reveal()
        session.rate(Rating.Again if session.question.topic == "beta" else Rating.Good)
        clock.advance(seconds=30)
    clock.advance(minutes=1)
    summaries = topic_summaries(app.library, app.store, app.planner, clock())
    mastery = {s.topic: s.mastery for s in summaries}
    assert mastery["alpha"] is not None and mastery["beta"] is not None
    assert mastery["alpha"] > 0.99 and mastery["beta"] > 0.99  # all just reviewed
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#topics", DataTable)
        flags = {key.value: str(table.get_row(key)[-1]) for key in table.rows}
        # 100 % mastery everywhere; beta is weak because its answers were wrong (accuracy
        # 0 %), alpha is not (accuracy 100 %), gamma has no history.
        assert WEAK_MARK in flags["beta"]
        assert flags["alpha"] == "" and flags["gamma"] == ""
        legend = _text(app.screen.query_one("#legend", Static))
        assert "Mastery: recall chance now" in legend and f"{WEAK_MARK}: either <90%" in legend
        target = app.planner.scheduler.desired_retention
        assert [t.topic for t in insights.weak_topics(summaries, target)] == ["beta"]
        await pilot.press("w")  # practises exactly the flagged topics
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.question.topic == "beta"
