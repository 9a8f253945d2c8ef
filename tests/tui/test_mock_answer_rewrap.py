"""A mock answer shown again (moving back, or resuming the exam) keeps every word on screen
after the pane narrows and the text re-wraps."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.containers import Horizontal

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.editor import AnswerArea
from quizapp.tui.screens.mock import MockExamScreen

ANSWER = (
    "In the lowest layers some heads already attend over most of the image, which gives "
    "the model a global receptive field from the first layer, unlike a CNN whose receptive "
    "field grows slowly with depth; deeper layers attend more globally still, and the "
    "distance plays the role of the receptive field size."
)


def _screen_words(app, widget) -> list[str]:
    """The words the terminal shows inside `widget` (what the student reads)."""
    strips = app.screen._compositor.render_strips()
    region = widget.content_region.intersection(app.screen.region)
    rows = [strips[y] for y in range(region.y, region.bottom)]
    text = " ".join("".join(s.text for s in row)[region.x : region.right] for row in rows)
    return re.findall(r"[\w;,.-]+", text)


async def test_a_saved_open_answer_shows_every_word_after_rewrapping(tmp_path: Path, clock):
    db = tmp_path / "p.db"
    app = QuizApp(load_library(), Store(db), clock=clock, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MockExamScreen)
        while screen.exam.question_at(screen.exam.position).kind != "open":
            await pilot.press("ctrl+n")
            await pilot.pause(0.05)
        screen.query_one("#mock-text-answer", AnswerArea).insert(ANSWER)
        await pilot.pause()
        await pilot.press("ctrl+q")  # saved on the way out

    app = QuizApp(load_library(), Store(db), clock=clock, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "r")
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, MockExamScreen)
        area = screen.query_one("#mock-text-answer", AnswerArea)
        assert area.text == ANSWER
        pane = screen.query_one("#question-pane")
        pane.scroll_to_widget(area, top=True, animate=False)  # the answer in view
        await pilot.pause(0.2)
        shown = _screen_words(app, area)
        assert shown == ANSWER.split()[: len(shown)] and len(shown) == len(ANSWER.split())


class _Pane(App):
    """An answer area in a container whose width the test changes, as a scrollbar does."""

    CSS = "#box { height: 12; } AnswerArea { width: 1fr; height: 100%; }"

    def __init__(self, area_class) -> None:
        super().__init__()
        self.area_class = area_class

    def compose(self):
        with Horizontal(id="box"):
            yield self.area_class(ANSWER, soft_wrap=True)


async def test_the_answer_area_repaints_after_rewrapping_narrower_and_wider():
    app = _Pane(AnswerArea)
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(AnswerArea)
        for width in (78, 74, 80, 71, 77, 80):
            app.query_one("#box").styles.width = width
            await pilot.pause(0.05)
            assert _screen_words(app, area) == ANSWER.split(), width
