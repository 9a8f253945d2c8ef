"""The footer rewrites its key widgets in place: a verdict turns "Run check" into the
rating keys without mounting a row of new widgets (which cost 10-20 ms and landed a
frame late), and the keys still say and do what the screen's bindings say."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, Static
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.study_base import Stage

from testkit import PassingGrader


def _shown(app) -> list[str]:
    footer = app.screen.query_one(Footer)
    return [str(key.description) for key in footer.query(FooterKey) if key.display]


async def test_a_verdict_rewrites_the_footer_keys_in_place(tmp_path: Path, clock):
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=PassingGrader())
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "T")
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        widgets = set(footer.query(FooterKey))
        assert "Run check" in _shown(app) and "Good" not in _shown(app)

        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()  # the keys follow the verdict by a frame …
        await pilot.pause(0.05)  # … and are laid out in the next
        assert str(app.screen.query_one("#verdict", Static).render()).startswith("✓ Correct")
        shown = _shown(app)
        assert {"Again", "Hard", "Good", "Easy", "Next"} <= {s.split()[0] for s in shown}
        assert "Run check" not in shown
        assert set(footer.query(FooterKey)) == widgets  # the same widgets, rewritten
        # one row: the question keeps every line of an 80x24 terminal it can get
        assert footer.size.height == 1, " | ".join(shown)
        assert all(k.region.right <= 80 for k in footer.query(FooterKey) if k.display)

        # a rewritten key still does what it says: a click on "Next" moves on
        next_key = next(k for k in footer.query(FooterKey) if k.display and k.description == "Next")
        await pilot.click(next_key)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.stage != Stage.RESULT  # on to the next question (or the end)


async def test_the_explanation_is_ready_before_the_answer_and_shown_with_the_verdict(
    tmp_path: Path, clock
):
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock, grader=PassingGrader())
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "T")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        explanation = screen.query_one("#explanation", Markdown)
        question = screen.session.question
        assert not explanation.display  # built, but not shown before the answer is in
        assert question.source in explanation.source

        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert explanation.display and "### Why" in explanation.source
        pane = app.screen.query_one("#question-pane")
        verdict = app.screen.query_one("#verdict", Static)
        # scrolled: the verdict at the top (below the editor's last line at most), not
        # under the editor where it was when the check started
        assert 0 <= verdict.region.y - pane.content_region.y <= 1
