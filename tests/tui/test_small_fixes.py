"""Small things a student met in a tryout: the exam date cut in Settings, Browse rows that
read the same, the first start without a hint, the topic chart's title and labels, and keys
of one burst applied out of order."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets import fit, fit_distinct, fit_items

sys.path.insert(0, str(Path(__file__).parent))
from demo_state import NOW, fill  # noqa: E402


def _app(store: Store, clock) -> QuizApp:
    return QuizApp(load_library(), store, clock=clock, grader=None, fuzz=False)


def _screen_text(app) -> str:
    return "\n".join(
        "".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()
    )


async def test_exam_date_shows_whole_when_its_field_has_the_focus(tmp_path: Path, clock):
    store = Store(tmp_path / "p.db")
    store.set_setting("exam_date", "2026-12-27")
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#exam", Input).focus()
        await pilot.pause()
        assert "2026-12-27" in _screen_text(app)  # was "026-12-27": scrolled by one


def test_rows_that_would_be_cut_to_the_same_text_stay_distinct():
    titles = ["Zero-shot class probabilities", "Zero-shot class probability", "Short"]
    assert fit(titles[0], 20) == fit(titles[1], 20)  # the plain cut reads the same …
    shown = fit_distinct(titles, 20)
    assert len(set(shown)) == 3 and shown[2] == "Short"  # … these do not
    assert all(len(s) <= 20 and "…" in s for s in shown[:2])


def test_a_list_of_topics_is_cut_item_by_item():
    topics = ["CLIP and Vision-Language Models", "BERT, GPT, T5 and friends", "ViT"]
    assert fit_items(topics, 80) == " · ".join(topics)  # room for all: nothing cut
    shown = fit_items(topics, 30)
    assert len(shown) <= 30
    first, second, third = shown.split(" · ")
    # each long one keeps its own start (not the end of one glued to the start of
    # another); the short one is whole and leaves its share to them
    assert first.startswith("CLIP") and first.endswith("…")
    assert second.startswith("BERT") and second.endswith("…")
    assert third == "ViT"


def test_a_list_cell_from_a_deck_is_shown_as_text_not_markup():
    from textual.content import Content

    from quizapp.tui.widgets import _fit_column

    [cell] = _fit_column([["[b]Bold[/b]", "[link=x]y"]], 40)
    assert Content.from_markup(cell).plain == "[b]Bold[/b] · [link=x]y"


async def test_browse_rows_are_distinct_at_80_columns(tmp_path: Path, clock):
    app = _app(Store(tmp_path / "p.db"), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        table = app.screen.query_one("#questions", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        full = [app.library.questions[str(row.value)].title for row in table.rows]
        sources: dict[str, set[str]] = {}
        for title, shown in zip(full, titles, strict=True):
            sources.setdefault(shown, set()).add(title)
        assert all(len(originals) == 1 for originals in sources.values())


async def test_a_first_start_says_what_to_press(tmp_path: Path, clock):
    store = Store(tmp_path / "p.db")
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "New here? Press r to start" in _screen_text(app)
        await pilot.press("r")  # and r does start
        await pilot.pause()
        assert app.screen.__class__.__name__ == "StudyScreen"


async def test_a_first_start_with_an_exam_date_points_to_the_plan(tmp_path: Path, clock):
    from datetime import timedelta

    from quizapp.study import insights

    store = Store(tmp_path / "p.db")
    insights.set_exam_date(store, (clock() + timedelta(days=20)).astimezone().date())
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(_screen_text(app).split())
        assert "New here? Press e then r: today's cards of your exam plan" in text
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("r")  # and e, r does start the plan's session
        await app.workers.wait_for_complete()
        await pilot.pause()
        from quizapp.tui.screens.study import StudyScreen

        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.early and not session.requeue  # the exam plan's, not a plain review


async def test_topic_chart_has_a_title_and_a_label_per_bar_at_120x40(tmp_path: Path):
    store = Store(tmp_path / "p.db")
    library = load_library()
    fill(store, library, NOW)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause(0.3)
        text = _screen_text(app)
        assert "Accuracy %, last answers" in text
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        studied = [t for t in screen.report.topics if t.seen]
        labels = [line for line in text.splitlines() if re.match(r"\s+[A-Z][^│┤]*┤█", line)]
        assert len(labels) == len(studied)  # every bar has its label …
        shown = {line.split("┤")[0].strip() for line in labels}
        assert shown == {library.topic_short_title(t.topic) for t in studied}  # … a whole name


async def test_keys_of_one_burst_apply_in_order(tmp_path: Path, clock):
    app = _app(Store(tmp_path / "p.db"), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        question = next(q for q in app.library.questions.values() if q.kind == "numeric")
        app.start_session(app.new_session(question_ids=[question.id], mode="practice"), "T")
        await pilot.pause()
        field = app.screen.query_one("#numeric-answer", Input)
        for key in ["1", "2", "ctrl+u", "4", "2", "ctrl+w", "7", "5"]:  # sent without waiting
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.2)
        assert field.value == "75"  # ctrl+u and ctrl+w took only what was typed before them


async def test_the_status_line_names_the_topic_once(tmp_path: Path, clock):
    """A practice heading names the topic by its title; the status line does not add the
    short title after it, but does name the topic where the heading does not."""
    from textual.widgets import Static

    app = _app(Store(tmp_path / "p.db"), clock)
    library = app.library
    assert library.topic_short_title("language-models") != library.topic_title("language-models")
    ids = [q.id for q in library.by_topic("language-models")][:2]
    async with app.run_test(size=(160, 24)) as pilot:
        title = library.topic_title("language-models")
        app.start_session(app.new_session(question_ids=ids, mode="practice"), f"Practice · {title}")
        await pilot.pause()
        line = str(app.screen.query_one("#progress", Static).render())
        assert line.rstrip().endswith(f"Practice · {title}")  # no " · BERT/GPT" after it
        app.pop_screen()
        await pilot.pause()
        app.start_session(app.new_session(question_ids=ids, mode="practice"), "Review")
        await pilot.pause()
        line = str(app.screen.query_one("#progress", Static).render())
        assert line.rstrip().endswith("Review · " + library.topic_short_title("language-models"))
