"""Start-up and hot-path timings of the study spine. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/startup.py

1. Time to the first question on screen (headless), all bundled decks, a DB with 100 000
   synthetic reviews — next to a bare `import textual.app` in the same run.
2. The due-queue query with 10 000 cards and 1 000 000 reviews.
3. Loading and validating 1 000 generated questions, parsed (not from the parsed-deck
   cache), and whether torch got imported.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.progress.store import CardRow, Store, iso

FIRST_QUESTION = """
import asyncio, sys, time
t0 = time.perf_counter()
from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen

painted = {}
advance = StudyScreen.advance

async def timed_advance(self):
    await advance(self)
    # The first refresh after the question is in place is when it is on screen.
    self.call_after_refresh(lambda: painted.setdefault("at", time.perf_counter()))

StudyScreen.advance = timed_advance

async def main():
    app = QuizApp(load_library(), Store(sys.argv[1]), grader=None)
    async with app.run_test() as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.session.current is not None
        print(painted["at"] - t0, time.perf_counter() - t0)

asyncio.run(main())
"""


# As on a student's machine: bytecode caches are written and reused (some environments set
# PYTHONDONTWRITEBYTECODE, which would make every start recompile quizapp's modules).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def _fill(store: Store, cards: int, reviews: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    ids = [f"synthetic.q{i}" for i in range(cards)]
    with store.db.atomic():
        store.db["cards"].insert_all(
            (
                CardRow(
                    qid,
                    2,
                    None,
                    5.0,
                    5.0,
                    now + timedelta(days=rng.uniform(-20, 40)),
                    now,
                    3,
                    0,
                    now - timedelta(days=60),
                ).to_row()
                for qid in ids
            ),
            batch_size=5000,
        )
    store.insert_reviews(
        {
            "question_id": rng.choice(ids),
            "reviewed_at": iso(now - timedelta(minutes=rng.randrange(60 * 24 * 365))),
            "rating": rng.randint(1, 4),
            "correct": rng.randint(0, 1),
            "answer": "42",
            "duration_ms": rng.randrange(1000, 60000),
            "mode": "review",
            "variant_seed": None,
        }
        for _ in range(reviews)
    )


def _first_question_times(db: Path, cache_dir: Path) -> tuple[float, float]:
    """(question painted, pilot round-trip done), in seconds from interpreter start."""
    env = {**ENV, "QUIZAPP_CACHE_DIR": str(cache_dir)}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_QUESTION, str(db)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    launch = time.perf_counter() - start
    painted, done = (float(x) for x in out.stdout.split())
    startup = launch - done  # interpreter start and exit, outside the script's own clock
    return painted + startup, done + startup


def first_question(tmp: Path) -> None:
    db = tmp / "first.db"
    _fill(Store(db), cards=2000, reviews=100_000)
    cache = tmp / "cache"
    _first_question_times(db, cache)  # warm-up: bytecode and parsed decks, as after a first start
    bares, runs, uncached = [], [], []
    for n in range(9):  # interleaved, so a noisy moment hits all sides alike
        bares.append(_run([sys.executable, "-c", "import textual.app"]))
        runs.append(_first_question_times(db, cache))
        uncached.append(_first_question_times(db, tmp / f"empty-cache-{n}")[0])
    bare = statistics.median(bares)
    painted = statistics.median(r[0] for r in runs)
    done = statistics.median(r[1] for r in runs)
    first_start = statistics.median(uncached)
    print(f"bare `import textual.app`             {bare * 1000:8.0f} ms")
    print(
        f"first question on screen (100k revs)  {painted * 1000:8.0f} ms   "
        f"ratio {painted / bare:.2f}x (goal <= 3x)"
    )
    print(f"  (incl. run_test's own settling)     {done * 1000:8.0f} ms   ratio {done / bare:.2f}x")
    print(
        f"  (decks not cached yet: first start) {first_start * 1000:8.0f} ms   "
        f"ratio {first_start / bare:.2f}x"
    )


def due_queue_query(tmp: Path) -> None:
    store = Store(tmp / "queue.db")
    t0 = time.perf_counter()
    _fill(store, cards=10_000, reviews=1_000_000)
    print(f"(built 10 000 cards / 1 000 000 reviews in {time.perf_counter() - t0:.1f} s)")
    now = datetime.now(UTC)
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        store.due_ids(now)
        store.introduced_since(now - timedelta(days=1))
        runs.append(time.perf_counter() - start)
    baseline = []
    for _ in range(30):
        start = time.perf_counter()
        store.db.execute("SELECT 1").fetchone()
        baseline.append(time.perf_counter() - start)
    median = statistics.median(runs)
    print(
        f"due-queue query (10k cards, 1M reviews) {median * 1000:8.2f} ms   "
        f"({median / statistics.median(baseline):.0f}x a trivial query; goal <= 10 ms)"
    )


DECK_HEADER = "topic: gen{n}\ntitle: Generated {n}\nquestions:\n"
QUESTION = """  - id: gen{n}.q{i}
    kind: {kind}
    title: Generated question {i}
    prompt: What is $\\\\sqrt{{d_k}}$ for question {i}?
    explanation: Because of reasons, number {i}.
    source: generated
"""
EXTRA = {
    "flashcard": "    back: The back {i}\n",
    "choice": "    options:\n      - text: yes\n        correct: true\n      - text: no\n",
    "open": "    model_answer: A model answer {i}\n    rubric: [one point, another point]\n",
    "numeric": "    solver: vit:patch_count\n    params: {{image_size: 224, patch_size: 16}}\n"
    "    vary:\n      image_size: [224, 256, 384]\n",
}


def load_generated(tmp: Path) -> None:
    deck_dir = tmp / "decks"
    deck_dir.mkdir()
    kinds = list(EXTRA)
    for n in range(10):
        parts = [DECK_HEADER.format(n=n)]
        for i in range(100):
            kind = kinds[i % len(kinds)]
            parts.append(QUESTION.format(n=n, i=i, kind=kind) + EXTRA[kind].format(i=i))
        (deck_dir / f"gen{n}.yaml").write_text("".join(parts))
    script = (
        "import sys, time; t=time.perf_counter();"
        "from quizapp.decks.content import load_library;"
        f"lib=load_library([{str(deck_dir)!r}], bundled=False, cache=False);"
        "d=time.perf_counter()-t; assert len(lib.questions)==1000, lib.problems[:3];"
        "print(d, 'torch' in sys.modules)"
    )
    results = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        for _ in range(5)
    ]
    times = [float(r.stdout.split()[0]) for r in results]
    torch_loaded = any(r.stdout.split()[1] == "True" for r in results)
    bare = statistics.median(_run([sys.executable, "-c", "import yaml"]) for _ in range(5))
    print(
        f"load+validate 1 000 questions           {statistics.median(times) * 1000:8.0f} ms   "
        f"(goal <= 200 ms; torch imported: {torch_loaded}; bare python+yaml start {bare * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        first_question(tmp)
        due_queue_query(tmp)
        load_generated(tmp)
