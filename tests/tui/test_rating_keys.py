"""After an answer the rating it gets is shown and keys 1-4 change it, each key showing
when the card would come back (computed by fsrs), as Anki's buttons do; at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Rating
from textual.widgets import Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner, short_interval
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer

from testkit import GOOD_DECKS

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _footer_labels(app) -> list[str]:
    footer = app.screen.query_one(Footer)
    return [str(key.description) for key in footer.query("FooterKey") if key.display]


def _expected_labels(store: Store, qid: str) -> dict[Rating, str]:
    """What fsrs itself says each rating of a new card does (no hand-written numbers)."""
    planner = Planner.from_store(store, fuzz=False)
    return {
        r: f"{r.name} {short_interval(planner.review(qid, None, r, NOW, 0).due - NOW)}"
        for r in Rating
    }


async def test_a_right_answer_is_good_and_4_makes_it_easy(tmp_path):
    store = Store(tmp_path / "p.db")
    library = load_library([GOOD_DECKS], bundled=False)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    expected = _expected_labels(store, "basics.memory")
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["basics.memory"]), "Review")
        await pilot.pause()
        await pilot.press(*"8796 GB", "enter")  # answered at once: still only Good
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert "Good · next review in 10 min" in verdict
        labels = _footer_labels(app)
        assert [lab for lab in labels if lab.split()[0] in Rating.__members__] == list(
            expected.values()
        )
        for label in expected.values():  # every rating key fits on screen at 80x24
            key = next(k for k in app.screen.query("FooterKey") if k.description == label)
            assert key.region.right <= 80 and key.region.bottom <= 24
        await pilot.press("4")
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert "Easy · next review in" in verdict
        assert [r.rating for r in store.reviews("basics.memory")] == [4]
        assert (
            short_interval(store.card("basics.memory").due - NOW)
            == expected[Rating.Easy].split()[1]
        )
        await pilot.press("1")
        await pilot.pause()
        assert [r.rating for r in store.reviews("basics.memory")] == [1]
        await pilot.press("enter")  # moving on keeps the last choice
        await pilot.pause()
    assert [r.rating for r in store.reviews("basics.memory")] == [1]


async def test_flashcard_rating_keys_show_their_intervals(tmp_path):
    store = Store(tmp_path / "p.db")
    library = load_library([GOOD_DECKS], bundled=False)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    expected = _expected_labels(store, "basics.flash")
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["basics.flash"]), "Review")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        hint = str(app.screen.query_one("#answer-hint", Static).render())
        assert "1 Again 1m · 2 Hard" in hint
        assert set(expected.values()) <= set(_footer_labels(app))
        await pilot.press("3")
        await pilot.pause()
    card = store.card("basics.flash")
    assert short_interval(card.due - NOW) == expected[Rating.Good].split()[1]


async def test_practice_shows_no_intervals_and_says_why(tmp_path):
    store = Store(tmp_path / "p.db")
    library = load_library([GOOD_DECKS], bundled=False)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):  # the second answer the same day is practice
            app.start_session(app.new_session(question_ids=["basics.memory"]), "Review")
            await pilot.pause()
            await pilot.press(*"8796 GB", "enter")
            await pilot.pause()
            verdict = str(app.screen.query_one("#verdict", Static).render())
            await pilot.press("escape")
            await pilot.pause()
        assert "practice: already reviewed today" in verdict
        await pilot.press("s")  # Stats says how many of today's answers were practice
        await pilot.pause()
        head = str(app.screen.query_one("#stats-head", Static).render())
        assert "today 2 (1 practice)" in head
    assert [r.mode for r in store.reviews("basics.memory")] == ["review", "practice"]
