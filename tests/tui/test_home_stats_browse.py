"""Home insights, Stats, Browse, Settings and Cram through the real app."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from fsrs import Rating
from textual.widgets import DataTable, Input, SelectionList, Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study import fsrs_fit as personal
from quizapp.study.scheduler import Planner
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.cram import CramPicker
from quizapp.tui.screens.home import WEAK_MARK, HomeScreen
from quizapp.tui.screens.plan import PlanScreen
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.study import StudyScreen

from history_sim import START, answer, simulate

INSIGHTS = Path(__file__).parent.parent / "insights"

DECKS = INSIGHTS / "decks"
SIZE = (120, 40)


def _app(store: Store, now) -> QuizApp:
    library = load_library([DECKS], bundled=False)
    return QuizApp(library, store, clock=lambda: now, grader=None, fuzz=False)


def _weak_beta_history(store: Store):
    planner = Planner.from_store(store, fuzz=False)
    for day in range(12):
        now = START + timedelta(days=day)
        for topic in ("alpha", "beta", "gamma"):
            for i in range(1, 5):
                bad = topic == "beta" and (day + i) % 4 != 0
                answer(
                    store,
                    planner,
                    f"{topic}.card{i}",
                    now + timedelta(minutes=i),
                    Rating.Again if bad else Rating.Good,
                )
    return START + timedelta(days=12, hours=1)


def _text(widget) -> str:
    return str(widget.render())


async def test_home_marks_the_weak_topic_and_w_practises_it(tmp_path):
    store = Store(tmp_path / "p.db")
    now = _weak_beta_history(store)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#topics", DataTable)
        beta = table.get_row("beta")
        assert WEAK_MARK in str(beta[-1]) and beta[1] == "4/5"
        assert beta[3].endswith("%") and beta[4].endswith("%")  # mastery, accuracy
        before = store.card("beta.card1")
        await pilot.press("w")
        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.mode == "practice"
        assert session.question.id.startswith("beta.")  # weakest topic's weakest card first
        await pilot.press("space", "1")
        rows = store.db.execute("SELECT mode FROM reviews ORDER BY id DESC LIMIT 1").fetchall()
        assert rows == [("practice",)]
        assert store.card("beta.card1").due == before.due  # practice never moves the schedule


async def test_leech_is_shown_on_home_with_its_topic(tmp_path):
    store = Store(tmp_path / "p.db")
    planner = Planner.from_store(store, fuzz=False)
    now = START
    answer(store, planner, "gamma.card3", now, Rating.Good)
    while store.card("gamma.card3").lapses < 8:
        card = store.card("gamma.card3")
        now = max(now + timedelta(hours=1), card.due)
        answer(store, planner, "gamma.card3", now, Rating.Again if card.state == 2 else Rating.Good)
    app = _app(store, now)
    async with app.run_test(size=SIZE):
        box = app.screen.query_one("#leeches", Static)
        assert box.display
        assert "Gamma rules card 3" in _text(box) and "Gamma rules" in _text(box)
        assert "8 lapses" in _text(box)


async def test_stats_screen_shows_figures_and_plots(tmp_path):
    store = Store(tmp_path / "p.db")
    now = _weak_beta_history(store)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        report = app.screen.report
        assert report.total_reviews == 12 * 12
        assert sum(d.reviews for d in report.per_day) == 12 * 12
        head = _text(app.screen.query_one("#stats-head", Static))
        assert f"streak {report.streak} days" in head and report.streak == 12
        assert app.screen.query_one("#stats-topics", DataTable).row_count == 3
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_browse_filters_and_practises_without_touching_the_schedule(tmp_path):
    store = Store(tmp_path / "p.db")
    now = _weak_beta_history(store)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert len(screen.listed) == 15
        assert isinstance(app.focused, DataTable)
        await pilot.press(*"apick")  # letters go to the search, never run an action
        assert isinstance(app.screen, BrowseScreen) and app.focused is screen.search
        assert screen.search.value == "apick" and screen.listed == []
        await pilot.press("enter", *"choi")  # enter: to the list; typing: back to the search
        assert screen.search.value == "apickchoi"
        screen.search.value = ""
        await pilot.press(*"ce")
        assert screen.listed == ["alpha.pick", "beta.pick", "gamma.pick"]
        await pilot.press("down")  # down from the search: into the list, as enter
        assert isinstance(app.focused, DataTable)
        await pilot.press("enter")  # the highlighted question, as practice
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.question.id == "alpha.pick"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", "enter", "ctrl+a")  # every listed question, as practice
        assert isinstance(app.screen, StudyScreen) and app.screen.session.remaining == 3
        await pilot.press("escape")
        await pilot.pause()
        screen.query_one("#search", Input).value = ""
        screen.query_one("#topic-filter").value = "beta"
        screen.query_one("#kind-filter").value = "flashcard"
        await pilot.pause()
        assert screen.listed == [f"beta.card{i}" for i in range(1, 5)]
        history = _text(screen.query_one("#question-history", Static))
        assert "beta.card1" in history and "answered 12×" in history

        before = store.card("beta.card2")
        table = screen.query_one("#questions", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.question.id == "beta.card2"
        await pilot.press("space", "3")
        assert store.card("beta.card2") == before
        last = store.db.execute(
            "SELECT question_id, mode FROM reviews ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert last == ("beta.card2", "practice")
        await pilot.press("escape")
        assert "answered 13×" in _text(screen.query_one("#question-history", Static))


async def test_settings_store_retention_and_exam_date_and_home_shows_exam_recall(tmp_path):
    store = Store(tmp_path / "p.db")
    now = _weak_beta_history(store)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#retention", Input).value = "85%"
        app.screen.query_one("#exam", Input).value = "next week"
        await pilot.press("ctrl+s")
        assert "YYYY-MM-DD" in _text(app.screen.query_one("#settings-message", Static))
        assert store.get_setting("exam_date") is None
        exam_day = (now + timedelta(days=10)).date()
        app.screen.query_one("#exam", Input).value = exam_day.isoformat()
        await pilot.press("ctrl+s")
        assert store.get_setting("desired_retention") == 0.85
        assert store.get_setting("exam_date") == exam_day.isoformat()
        assert app.planner.scheduler.desired_retention == 0.85
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        plan = home.plan
        assert plan.exam_date == exam_day and plan.target == 0.85
        recall = {t.topic: t.recall for t in plan.topics}
        row = home.query_one("#topics", DataTable).get_row("alpha")
        assert row[5] == f"{recall['alpha']:.0%}"
        assert exam_day.strftime("%d %b") in _text(home.query_one("#exam-line", Static))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "expected on exam day" in _text(home.query_one("#exam-line", Static))
        await pilot.press("plus")  # five more minutes a day, from Home
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.get_setting("exam_minutes") == 35
        assert "with 70 min a day" in _text(home.query_one("#exam-line", Static))
        await pilot.press("e")  # the plan, then r for today's exam session
        assert isinstance(app.screen, PlanScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.plan is not None and app.screen.plan.days_left == 10
        await pilot.press("r")
        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.mode == "review" and not session.requeue  # each card once a day
        studied = [session.question.id, *session.queue]
        assert studied and all(q in app.library.questions for q in studied)


async def test_settings_fit_fsrs_in_a_worker_and_store_the_parameters(tmp_path, monkeypatch):
    store = Store(tmp_path / "p.db")
    planner = Planner.from_store(store, fuzz=False)
    ids = [f"{t}.card{i}" for t in ("alpha", "beta", "gamma") for i in range(1, 5)]
    simulate(store, planner, ids, 10)  # too short a history first
    now = START + timedelta(days=200)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = _text(app.screen.query_one("#settings-message", Static))
        assert "more needed" in message
        assert store.get_setting("fsrs_parameters") is None

        simulate(store, planner, [f"sim.q{i}" for i in range(60)], 200, recall=0.8)
        release = threading.Event()
        real_optimize = personal.optimize

        def held_optimize(*args, **kwargs):  # hold the fit until the UI state is checked
            release.wait(timeout=30)
            return real_optimize(*args, **kwargs)

        monkeypatch.setattr(personal, "optimize", held_optimize)
        await pilot.press("ctrl+o")
        assert app.screen.query_one("#optimize-progress").display  # shown while it runs
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "fitted" in _text(app.screen.query_one("#settings-message", Static))
        stored = store.get_setting("fsrs_parameters")
        assert stored and list(app.planner.scheduler.parameters) == stored
        assert "personal" in _text(app.screen.query_one("#fsrs-status", Static))


async def test_cram_picks_topics_and_orders_weak_cards_first(tmp_path):
    store = Store(tmp_path / "p.db")
    now = _weak_beta_history(store)
    app = _app(store, now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        picker = app.screen
        assert isinstance(picker, CramPicker)
        topics = picker.query_one("#cram-topics", SelectionList)
        topics.deselect_all()
        topics.select("alpha")
        topics.select("beta")
        await pilot.press("enter")
        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.mode == "practice" and session.total == 10
        assert session.question.id.startswith("beta.card")
