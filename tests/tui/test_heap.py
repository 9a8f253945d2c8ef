"""Garbage collection waits for the student: start-up's objects are frozen out of later
collections, and a question's garbage is collected once input has been quiet a while,
never while keys arrive."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui import heap
from quizapp.tui.app import QuizApp

from testkit import pause_until


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_collects_once_per_quiet_spell_and_never_while_typing(monkeypatch):
    collections = []
    monkeypatch.setattr(gc, "collect", lambda *a: collections.append(1) or 0)
    clock = Ticks()
    collector = heap.IdleCollector(clock)
    for _ in range(20):  # a key every 0.2 s: never quiet for long enough
        clock.now += 0.2
        collector.input_seen()
        assert not collector.tick()
    clock.now += heap.QUIET_S - 0.01
    assert not collector.tick()
    clock.now += 0.02
    assert collector.tick() and collections == [1]
    clock.now += 30  # still quiet: nothing new to wait for, nothing collected again
    assert not collector.tick() and collections == [1]
    collector.input_seen()
    clock.now += heap.QUIET_S
    assert collector.tick() and collections == [1, 1]


@pytest.mark.slow
async def test_the_app_freezes_start_up_and_thaws_when_it_ends(tmp_path: Path, clock):
    assert gc.get_freeze_count() == 0
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(heap.FREEZE_AFTER_S + 0.5)
        assert gc.get_freeze_count() > 10_000  # decks, styles, units: left alone from now on
    assert gc.get_freeze_count() == 0  # and free to go once the app is gone


async def test_the_warm_up_waits_until_home_is_up(tmp_path: Path, monkeypatch):
    """pint's registry and the study modules are warmed in a thread that starts once Home
    has read its data: running alongside, it slowed those reads (each sqlite row read hands
    the interpreter lock to the busy thread and waits to get it back)."""
    import quizapp.tui.app as app_module
    from quizapp.tui.widgets import FittedTable

    started: list[tuple[str, int, float]] = []
    opened = time.monotonic()
    app = QuizApp(load_library(), Store(tmp_path / "p.db"), fuzz=False)

    def warm_up() -> None:  # what was on screen when it started, and when
        table = app.screen.query_one("#topics", FittedTable)
        started.append((type(app.screen).__name__, table.row_count, time.monotonic() - opened))

    monkeypatch.setattr(app_module, "_warm_up", warm_up)
    async with app.run_test(size=(80, 24)) as pilot:
        await pause_until(pilot, lambda: bool(started))  # however loaded the machine
        [(screen, rows, after)] = started  # once …
        assert screen == "HomeScreen" and rows > 0  # … with Home up and its data read …
        assert after >= app_module.WARM_UP_AFTER_S  # … and not at once
