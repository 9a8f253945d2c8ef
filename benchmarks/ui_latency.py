"""How fast the app answers a student, headless at 80x24: medians, and ratios to baselines
measured in the same run. Prints figures; asserts only that the answers are what they
should be.

    .venv/bin/python benchmarks/ui_latency.py [--runs N] [--skip-shell]

Baselines
    repaint   a bare Textual app: a key bound to updating one Static, until painted.
    grader    CodeGrader.grade of the same correct solution, called directly.
    pass      `python -c pass`, for the shell figure.

Figures
    check      ctrl+r on a correct solution → the verdict on screen (the status line or the
               verdict line, whichever first); → settled (the check's worker done, the pane
               scrolled to the verdict and the explanation). Ratios to the grader alone.
    answer     enter on a numeric answer → verdict painted. Ratio to a bare repaint.
    rating     3 on a revealed flashcard → the next question painted. Ratio to a repaint.
    first numeric question of a run (fresh process, 1 s after start: question shown, plus
               answer → verdict; pint's registry is warmed in the background at start)
               next to the second.
    first check right after opening (fresh process, ctrl+r at once: the worker is still
               importing torch) next to a warm check.
    shell      a warm `quizapp grade ID FILE` (the service running) next to the round trip
               to the service from a live process and to `python -c pass`.

"Painted" is the first time after the change that Textual writes the screen to its
(headless) driver: `App._display` is timed. Keys are posted as a terminal sends them, not
through the pilot (whose own waiting would be measured). "Settled" is the last paint
before the app stays quiet for QUIET_S.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import quizapp.tui  # noqa: F401  (before any Textual import: it sets the app's frame rate)

QUESTION = "masking.zero-weights"
RIGHT = textwrap.dedent("""
    import math
    import torch

    def masked_attention(q, k, v, mask):
        w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
        return w.masked_fill(~mask, 0.0) @ v
""")
SIZE = (80, 24)


def median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values)


QUIET_S = 0.3
PAINTS: list[float] = []  # when the screen was written to the driver
WATCH: list = []  # [condition, first paint at which it held]


def _record_paints() -> None:
    from textual.app import App

    display = App._display

    def timed(self, screen, renderable) -> None:
        display(self, screen, renderable)
        if renderable is not None:
            now = time.perf_counter()
            PAINTS.append(now)
            if WATCH and WATCH[1] is None and WATCH[0]():
                WATCH[1] = now

    App._display = timed  # type: ignore[method-assign]


async def _wait_for(condition, limit_s: float = 60.0) -> float:
    """Poll (1 ms) until `condition()`, the app running meanwhile; when it became true."""
    deadline = time.perf_counter() + limit_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app never got there")
        await asyncio.sleep(0.001)
    return time.perf_counter()


async def _painted(condition) -> float:
    """The first paint at which `condition()` held (checked as each paint is written)."""
    WATCH[:] = [condition, None]
    await _wait_for(lambda: WATCH[1] is not None)
    return WATCH[1]


async def _settled() -> float:
    """The last paint before QUIET_S without one."""
    while True:
        last = PAINTS[-1] if PAINTS else 0.0
        await asyncio.sleep(QUIET_S)
        if (PAINTS[-1] if PAINTS else 0.0) == last:
            return last


def _key(app, key: str) -> float:
    """Send a key as the terminal does; the moment it was sent."""
    from textual import events

    t0 = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    return t0


# -- baselines ----------------------------------------------------------------------------


async def bare_repaint(runs: int) -> list[float]:
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Static

    class Bare(App):
        BINDINGS = [Binding("x", "bump")]
        count = 0

        def compose(self):
            yield Static("0", id="n")

        def action_bump(self) -> None:
            self.count += 1
            self.query_one("#n", Static).update(str(self.count))

    times = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(runs):
            await _settled()
            WATCH[:] = [lambda i=i: app.count == i + 1, None]
            t0 = _key(app, "x")
            times.append(await _painted(WATCH[0]) - t0)
    return times


def grader_alone(grader, question, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        verdict = grader.grade(question, RIGHT)
        times.append(time.perf_counter() - t0)
        assert verdict.correct, verdict.feedback
    return times


# -- in the app ---------------------------------------------------------------------------


async def _started(pilot) -> None:
    """Start-up's background work done (pint's registry, the heap frozen), as when a
    student has read Home for a few seconds."""
    from quizapp.tui import heap

    await pilot.pause(heap.FREEZE_AFTER_S + 0.5)


def _app(db: Path, grader=None):
    from quizapp.decks.content import load_library
    from quizapp.progress.store import Store
    from quizapp.tui.app import QuizApp

    return QuizApp(load_library(), Store(db), grader=grader, fuzz=False)


def _verdict(app) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one("#verdict", Static).render())


def _passed(app) -> bool:
    """A passing check's verdict is on screen: on the status line at the top (where a
    check's state is said first) or on the verdict line under the editor."""
    from textual.widgets import Static

    status = str(app.screen.query_one("#progress", Static).render()).strip()
    return status.startswith("✓") or _verdict(app).startswith("✓")


async def check_latency(grader, runs: int, db: Path) -> tuple[list[float], list[float]]:
    from quizapp.tui.editor import CodeEditor

    shown, settled = [], []
    app = _app(db, grader)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        for _ in range(runs):
            app.start_session(app.new_session(question_ids=[QUESTION], mode="practice"), "B")
            await pilot.pause()
            app.screen.query_one("#code-answer", CodeEditor).text = RIGHT
            await pilot.pause()
            await _settled()
            WATCH[:] = [lambda: _passed(app), None]
            t0 = _key(app, "ctrl+r")
            shown.append(await _painted(WATCH[0]) - t0)
            await app.workers.wait_for_complete()
            settled.append(await _settled() - t0)
            app.pop_screen()
            await pilot.pause()
    return shown, settled


async def answer_latency(runs: int, db: Path) -> list[float]:
    from textual.widgets import Input

    from quizapp.study.numeric_answers import format_value, registry

    registry()  # the first-answer cost is measured on its own below
    times = []
    app = _app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        question = app.library.questions["vit.attention-memory-pixels"]
        for _ in range(runs):
            session = app.new_session(question_ids=[question.id], mode="practice")
            app.start_session(session, "B")
            await pilot.pause()
            field = app.screen.query_one("#numeric-answer", Input)
            field.value = format_value(session.variant.expected, question.unit)
            await _settled()
            WATCH[:] = [lambda: _verdict(app).startswith("✓"), None]
            t0 = _key(app, "enter")
            times.append(await _painted(WATCH[0]) - t0)
            app.pop_screen()
            await pilot.pause()
    return times


async def rating_latency(runs: int, db: Path) -> list[float]:
    from textual.widgets import Markdown

    times = []
    app = _app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        cards = [q.id for q in app.library.questions.values() if q.kind == "flashcard"]
        app.start_session(app.new_session(question_ids=cards[: runs + 2], mode="practice"), "B")
        await pilot.pause()
        screen = app.screen
        for _ in range(runs):
            await pilot.press("space")
            await pilot.pause()
            before = screen.session.question.id
            prompt = screen.query_one("#prompt", Markdown)
            await _settled()
            WATCH[:] = [
                lambda b=before, p=prompt: (
                    screen.session.question.id != b and screen.session.question.title in p.source
                ),
                None,
            ]
            t0 = _key(app, "3")
            times.append(await _painted(WATCH[0]) - t0)
        await _settled()
    return times


# -- fresh processes ----------------------------------------------------------------------

FIRST_NUMERIC = """
import asyncio, sys, time
sys.path.insert(0, sys.argv[2])
from ui_latency import WATCH, _app, _key, _painted, _record_paints, _settled, _verdict
from textual.widgets import Input
_record_paints()
from quizapp.study.numeric_answers import format_value

async def main():
    app = _app(sys.argv[1])
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        question = app.library.questions["vit.attention-memory-pixels"]
        await pilot.pause(1.0)  # the student reads Home
        for _ in range(2):
            session = app.new_session(question_ids=[question.id], mode="practice")
            WATCH[:] = [lambda: bool(app.screen.query("#numeric-answer")), None]
            t0 = time.perf_counter()
            app.start_session(session, "B")  # the variant's unit conversion needs pint
            shown = await _painted(WATCH[0]) - t0
            await pilot.pause(1.0)  # the student reads the question
            field = app.screen.query_one("#numeric-answer", Input)
            field.value = format_value(session.variant.expected, question.unit)
            await pilot.pause()
            WATCH[:] = [lambda: _verdict(app).startswith("✓"), None]
            t0 = _key(app, "enter")
            out.append(shown + await _painted(WATCH[0]) - t0)
            await _settled()
            app.pop_screen()
            await pilot.pause()
    print(*out)

asyncio.run(main())
"""

FIRST_CHECK = """
import asyncio, sys, time
sys.path.insert(0, sys.argv[2])
from ui_latency import RIGHT, QUESTION, WATCH, _app, _key, _painted, _passed, _record_paints, _settled
from quizapp.grading.code import CodeGrader
_record_paints()
from quizapp.tui.editor import CodeEditor

async def main():
    grader = CodeGrader()
    grader.start()  # as `quizapp` does before the app starts
    app = _app(sys.argv[1], grader)
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            app.start_session(app.new_session(question_ids=[QUESTION], mode="practice"), "B")
            await pilot.pause()
            app.screen.query_one("#code-answer", CodeEditor).text = RIGHT
            await pilot.pause()
            WATCH[:] = [lambda: _passed(app), None]
            t0 = _key(app, "ctrl+r")
            out.append(await _painted(WATCH[0]) - t0)
            await _settled()
            app.pop_screen()
            await pilot.pause()
    grader.close()
    print(*out)

asyncio.run(main())
"""


def fresh_process(script: str, runs: int, tmp: Path) -> list[tuple[float, float]]:
    results = []
    for i in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", script, str(tmp / f"fresh{i}.db"), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        results.append((float(out[0]), float(out[1])))
    return results


# -- the shell ----------------------------------------------------------------------------


def shell_figures(runs: int, tmp: Path) -> dict[str, float]:
    submission = tmp / "attempt.py"
    submission.write_text(RIGHT)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "QUIZAPP_NO_SERVICE")
    }
    env.update(
        QUIZAPP_RUNTIME_DIR=str(tmp / "run"),
        QUIZAPP_CACHE_DIR=str(tmp / "cache"),
        QUIZAPP_DB=str(tmp / "shell.db"),
    )
    (tmp / "run").mkdir(mode=0o700)
    quizapp = [sys.executable, "-m", "quizapp"]
    grade = [*quizapp, "grade", QUESTION, str(submission), "--json"]

    def timed(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if cmd is grade:
            assert json.loads(done.stdout)["status"] == "correct", done.stdout + done.stderr
        return elapsed

    timed(grade)  # starts the service (and fills the caches)
    timed(grade)
    warm = [timed(grade) for _ in range(runs)]
    bare = [timed([sys.executable, "-c", "pass"]) for _ in range(runs)]
    os.environ.update(QUIZAPP_RUNTIME_DIR=env["QUIZAPP_RUNTIME_DIR"])
    from quizapp.decks.content import load_library
    from quizapp.service.client import ServiceClient

    question = load_library().questions[QUESTION]
    client = ServiceClient()
    request: dict[str, object] = {
        "op": "grade",
        "content_dirs": [],
        "question_id": question.id,
        "source": RIGHT,
        "seed": None,
    }
    trips = []
    for _ in range(runs):
        t0 = time.perf_counter()
        reply = client.request(request)
        trips.append(time.perf_counter() - t0)
        assert reply.get("ok") and reply["verdict"]["status"] == "correct", reply
    client.stop()
    return {
        "warm": median_ms(warm),
        "trip": median_ms(trips),
        "pass": median_ms(bare),
    }


# -- report -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh-runs", type=int, default=3)
    parser.add_argument("--skip-shell", action="store_true")
    args = parser.parse_args()
    from quizapp.decks.content import load_library
    from quizapp.grading.code import CodeGrader

    _record_paints()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        grader = CodeGrader()
        grader.sandbox_layers()  # warm
        question = load_library().questions[QUESTION]
        grader_alone(grader, question, 3)
        repaint = median_ms(asyncio.run(bare_repaint(args.runs)))
        alone = median_ms(grader_alone(grader, question, args.runs))
        shown, settled = asyncio.run(check_latency(grader, args.runs, tmp / "check.db"))
        grader.close()
        answer = median_ms(asyncio.run(answer_latency(args.runs, tmp / "answer.db")))
        rating = median_ms(asyncio.run(rating_latency(args.runs, tmp / "rating.db")))
        numeric = fresh_process(FIRST_NUMERIC, args.fresh_runs, tmp)
        first_check = fresh_process(FIRST_CHECK, args.fresh_runs, tmp)
        shell = None if args.skip_shell else shell_figures(args.runs, tmp)

    def row(name: str, value: float, base: float, base_name: str) -> None:
        print(f"  {name:<44}{value:8.1f} ms  {value / base:6.2f}x {base_name}")

    print(f"baselines: bare repaint {repaint:.1f} ms · grader alone {alone:.1f} ms")
    row("ctrl+r → verdict on screen", median_ms(shown), alone, "grader")
    row("ctrl+r → settled", median_ms(settled), alone, "grader")
    row("answer → verdict painted", answer, repaint, "repaint")
    row("rating → next question painted", rating, repaint, "repaint")
    first, second = (median_ms([r[i] for r in numeric]) for i in (0, 1))
    row("first numeric question shown + answered", first, second, "the second")
    first, second = (median_ms([r[i] for r in first_check]) for i in (0, 1))
    row("first check right after opening", first, second, "a warm check")
    if shell:
        around = shell["warm"] - shell["trip"]
        print(
            f"  shell: warm `quizapp grade` {shell['warm']:.0f} ms = round trip "
            f"{shell['trip']:.0f} ms + process {around:.0f} ms; `python -c pass` "
            f"{shell['pass']:.0f} ms (process / pass: {around / shell['pass']:.2f}x)"
        )


if __name__ == "__main__":
    main()
