"""The choice widget shows the shuffled order, and keys act on what is on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets import ChoiceList

SHUFFLED_DECKS = Path(__file__).parent.parent / "decks" / "shuffled"


def _app(tmp_path: Path, clock) -> QuizApp:
    library = load_library([SHUFFLED_DECKS], bundled=False, cache=False)
    return QuizApp(library, Store(tmp_path / "p.db"), clock=clock, grader=None, fuzz=False)


async def test_keys_pick_the_option_shown_there_and_marks_follow_it(tmp_path: Path, clock):
    app = _app(tmp_path, clock)
    right_places = set()
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["order.one"] * 12, mode="practice"), "T")
        await pilot.pause()
        for round_ in range(12):
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            widget = screen.query_one("#choices", ChoiceList)
            options = screen.session.question.options
            assert screen.session.current is not None  # a question is shown
            shown = screen.session.current.shown_options()
            assert widget.options == [options[i].text for i in shown]  # what is on screen
            assert widget.options[3] == "none of the above"
            place = shown.index(0)  # where "encoder-only", the right one, is shown
            right_places.add(place)
            if round_ % 2:
                await pilot.press(str(place + 1), "enter")
                verdict = str(screen.query_one("#verdict", Static).render())
                assert verdict.startswith("✓ Correct")
            else:
                wrong = (place + 1) % 3
                await pilot.press(str(wrong + 1), "enter")
                verdict = str(screen.query_one("#verdict", Static).render())
                assert f"the answer is option {place + 1}." in verdict
                assert widget.marks[wrong].startswith("✗")
            assert widget.marks[place].startswith("✓")
            await pilot.press("enter")  # next question
            await pilot.pause()
    answers = [r.answer for r in app.store.reviews("order.one")]
    assert answers == ["1" if i % 2 else answers[i] for i in range(12)]
    assert all(a in {"2", "3"} for a in answers[::2])  # a wrong option, by its file number
    assert len(right_places) >= 2  # 12 showings did not all put it in the same place
