"""A code review starts from the stub; the last attempt is one key away (ctrl+l) and caps the
rating at Hard; what is typed is kept as a draft, also when the app is quit mid-question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.draft_saver import SAVE_AFTER_S as DRAFT_SAVE_AFTER_S

from testkit import GOOD_DECKS

QID = "masking.zero-weights"
DAY1 = datetime(2026, 11, 2, 9, tzinfo=UTC)
OLD_ANSWER = "def masked_attention(q, k, v, mask):\n    return 'my answer from last time'\n"


class PassingGrader:
    """Stands in for the sandboxed grader (tested in tests/grading): every check passes."""

    layers = None

    def grade(self, question, source, *, seed=None):
        return CodeVerdict("correct", "All 6 cases match.", 6, 6)

    def close(self) -> None:
        pass


def _app(db_path: Path, now: datetime, library=None) -> QuizApp:
    return QuizApp(
        library or load_library(),
        Store(db_path),
        clock=lambda: now,
        grader=PassingGrader(),
        fuzz=False,
    )


def _seed_an_earlier_attempt(db_path: Path) -> None:
    """Yesterday the student solved it; today the card is due again."""
    store = Store(db_path)
    store.record_attempt(QID, DAY1 - timedelta(days=3), OLD_ANSWER, "correct", "ok")
    store.close()


async def _open_review(app: QuizApp, pilot) -> TextArea:
    app.start_session(app.new_session(question_ids=[QID]), "Review")
    await pilot.pause()
    return app.screen.query_one("#code-answer", TextArea)


async def test_a_review_opens_with_the_stub_and_ctrl_l_brings_the_last_attempt(tmp_path):
    db = tmp_path / "p.db"
    _seed_an_earlier_attempt(db)
    library = load_library()
    app = _app(db, DAY1, library)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_review(app, pilot)
        assert editor.text == library.questions[QID].stub  # never the previous answer
        footer = [str(k.description) for k in app.screen.query("FooterKey") if k.display]
        assert "Last attempt" in footer
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert editor.text == OLD_ANSWER
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert "Hard · next review in" in verdict and "at most Hard: last attempt" in verdict
        footer = [str(k.description) for k in app.screen.query("FooterKey") if k.display]
        assert not any(k.startswith(("Good", "Easy")) for k in footer)  # above the cap
        await pilot.press("4")  # refused: the rating stays Hard
        await pilot.pause()
    assert [r.rating for r in Store(db).reviews(QID)] == [2]


async def test_without_the_last_attempt_a_pass_is_good(tmp_path):
    db = tmp_path / "p.db"
    _seed_an_earlier_attempt(db)
    app = _app(db, DAY1)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_review(app, pilot)
        editor.text = OLD_ANSWER  # typed again from memory
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [r.rating for r in Store(db).reviews(QID)] == [3]


async def test_the_draft_survives_ctrl_q_and_comes_back(tmp_path):
    db = tmp_path / "p.db"
    library = load_library()
    app = _app(db, DAY1, library)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_review(app, pilot)
        editor.move_cursor(editor.document.end)
        await pilot.press(*"# first idea")
        await pilot.pause(DRAFT_SAVE_AFTER_S + 0.3)
        assert Store(db).draft(QID).endswith("# first idea")  # saved while typing
        await pilot.press(*" then more", "ctrl+q")  # quit at once: not lost either
    draft = Store(db).draft(QID)
    assert draft is not None and draft.endswith("# first idea then more")
    assert Store(db).reviews(QID) == []

    app = _app(db, DAY1, library)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_review(app, pilot)
        assert editor.text == draft  # restored, not the stub
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
    store = Store(db)
    assert store.draft(QID) is None  # answered: the draft is gone
    assert [r.answer for r in store.reviews(QID)] == [draft]


async def test_an_open_answer_draft_survives_a_quit(tmp_path):
    db = tmp_path / "p.db"
    library = load_library([GOOD_DECKS], bundled=False)
    app = _app(db, DAY1, library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["basics.essay"]), "Review")
        await pilot.pause()
        await pilot.press(*"Because attention is quadratic", "ctrl+q")
    assert Store(db).draft("basics.essay") == "Because attention is quadratic"
    app = _app(db, DAY1, library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["basics.essay"]), "Review")
        await pilot.pause()
        assert app.screen.query_one("#open-answer", TextArea).text.startswith("Because")


async def test_leaving_on_purpose_drops_the_draft(tmp_path):
    db = tmp_path / "p.db"
    app = _app(db, DAY1)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _open_review(app, pilot)
        editor.move_cursor(editor.document.end)
        await pilot.press(*"# scratch")
        await pilot.pause(DRAFT_SAVE_AFTER_S + 0.3)
        assert Store(db).draft(QID) is not None
        await pilot.press(*" and more")  # unsaved yet when leaving
        await pilot.press("escape", "escape")  # leave the editor, then the question
        await pilot.pause()
        await pilot.press("enter")  # "Leave this question?" yes
        await pilot.pause()
    assert Store(db).draft(QID) is None
