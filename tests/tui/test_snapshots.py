"""Screenshots of every screen and every question kind, at 80x24 and at 120x40.

The app runs on the small deck in tests/decks/screens (so editing the course decks never
changes a screenshot) with a month of simulated answers in a temporary database, a fixed
clock, UTC and seeded option shuffling, so every run draws the same pixels. When a change
to the layout is intended, regenerate with `pytest tests/tui/test_snapshots.py
--snapshot-update` and look at the changed SVGs (the report lists them) before committing.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

sys.path.insert(0, str(Path(__file__).parent))
from demo_state import NOW, fill  # noqa: E402

DECKS = Path(__file__).parent.parent / "decks" / "screens"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

FAILED_CHECK = CodeVerdict(
    "incorrect",
    "Not quite: 1 of 4 test cases pass. First failing case: case 2 "
    "(`q`: shape (2, 3, 4) float32, `mask`: shape (3, 3) bool): your output has shape "
    "(2, 3, 5); expected (2, 3, 4).\n\n"
    "Your function printed:\n\n```\nscores torch.Size([2, 3, 3]) and a line long enough to "
    "need wrapping on a terminal that is only eighty columns wide\n```",
    1,
    4,
)


class FailingGrader:
    def grade(self, question, source, *, seed=None):
        return FAILED_CHECK

    def close(self) -> None:
        pass


@pytest.fixture
def app(tmp_path: Path, monkeypatch) -> Iterator[QuizApp]:
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"  # Browse shows local times
    time.tzset()
    # Option order and variants are drawn from SystemRandom: make them repeatable.
    monkeypatch.setattr(random, "SystemRandom", lambda: random.Random(20261102))
    library = load_library([DECKS], bundled=False, cache=False)
    store = Store(tmp_path / "progress.db")
    fill(store, library, NOW, recall={"attn": 0.55, "vision": 0.9}, leech="attn.code", share=0.7)
    yield QuizApp(library, store, clock=lambda: NOW, grader=FailingGrader(), fuzz=False)
    if old_tz is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old_tz
    time.tzset()


def _study(question_id: str, *keys: str, mode: str = "review"):
    async def run(pilot) -> None:
        app = pilot.app
        app.start_session(app.new_session(question_ids=[question_id], mode=mode), "Review")
        await pilot.pause()
        await pilot.press(*keys)

    return run


def _keys(*keys: str):
    async def run(pilot) -> None:
        await pilot.press(*keys)

    return run


def _answer_choice_wrong(pilot):
    async def run() -> None:
        await _study("attn.pick")(pilot)
        await pilot.app.workers.wait_for_complete()  # under load the list may mount late
        await pilot.pause()
        shown = pilot.app.screen.session.current.shown_options()
        await pilot.press(str(shown.index(1) + 1))
        await pilot.pause()
        await pilot.press("enter")  # wrong, with a reason

    return run()


async def _answer_numeric(pilot) -> None:
    await _study("attn.memory")(pilot)
    pilot.app.screen.query_one("#numeric-answer", Input).value = "4 TB"
    await pilot.press("enter")


async def _rubric(pilot) -> None:
    await _study("attn.essay")(pilot)
    editor = pilot.app.screen.query_one("#open-answer", TextArea)
    editor.text = "The dot products grow with d_k, so the softmax saturates."
    await pilot.press("ctrl+s", "1", "2")


async def _failed_check(pilot) -> None:
    await _study("attn.code", "ctrl+r")(pilot)
    await pilot.app.workers.wait_for_complete()


async def _finished(pilot) -> None:
    await _study("vision.vit-card", "space", "3")(pilot)


SCENARIOS = {
    "home": _keys(),
    "help": _keys("question_mark"),
    "cram-picker": _keys("c"),
    "browse": _keys("b"),
    "stats": _keys("s"),
    "settings": _keys("o"),
    "review": _keys("r"),
    "weak": _keys("w"),
    "exam": _keys("e"),  # the plan screen
    "exam-session": _keys("e", "r"),
    "flashcard": _study("attn.flash"),
    "flashcard-revealed": _study("attn.flash", "space"),
    "choice": _study("attn.pick"),
    "choice-answered": _answer_choice_wrong,
    "numeric": _study("attn.memory"),
    "numeric-answered": _answer_numeric,
    "open": _study("attn.essay"),
    "open-rubric": _rubric,
    "code": _study("attn.code"),
    "code-checked": _failed_check,
    "code-show-solution-asks": _study("attn.code", "ctrl+g"),
    "code-solution": _study("attn.code", "ctrl+g", "y"),
    "session-finished": _finished,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_screen(snap_compare, app, scenario: str, size: str):
    async def run_before(pilot) -> None:
        await SCENARIOS[scenario](pilot)
        await pilot.app.workers.wait_for_complete()  # e.g. scrolling the editor into view
        await pilot.pause()
        await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # a blinking cursor would make pixels flicker
            if isinstance(widget, TextArea):
                # TextArea caches its lines with a key that does not say whether the cursor
                # was in its "off" blink phase, so the cursor might be drawn or not: draw
                # every line afresh (a focused editor then always shows its cursor).
                widget.notify_style_update()
                widget.refresh()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZES[size])
