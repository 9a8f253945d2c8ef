"""Home and Stats render time with a large review log, against an empty database.

Builds two progress files (empty, and one with --reviews answers over three years for
every bundled question), then for each one opens the app headless and times:
- Home: app start until the topic table is filled;
- Stats: the `s` key until the Stats screen has its report and plots;
- the data refresh alone (Home.refresh_data / Stats.action_reload), median of repeats.
Prints the figures and the ratio large/empty.

    python benchmarks/home_stats.py [--reviews 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.decks.content import load_library
from quizapp.progress.store import CardRow, Store, iso
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.stats import StatsScreen

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
REPEATS = 7


def fill(store: Store, question_ids: list[str], reviews: int, seed: int = 3) -> None:
    """`reviews` answers spread over three years, plus a card for every question."""
    rng = random.Random(seed)
    span = timedelta(days=3 * 365).total_seconds()
    start = NOW - timedelta(days=3 * 365)
    stamps = sorted(rng.random() * span for _ in range(reviews))
    rows = []
    for offset in stamps:
        rating = rng.choices((1, 2, 3, 4), weights=(12, 8, 70, 10))[0]
        correct = None if rng.random() < 0.3 else int(rating > 1)
        mode = "practice" if rng.random() < 0.15 else "review"
        at = iso(start + timedelta(seconds=offset))
        rows.append((rng.choice(question_ids), at, rating, correct, "", 4000, mode, None))
    with store.db.conn:
        store.db.conn.executemany(
            "INSERT INTO reviews (question_id, reviewed_at, rating, correct, answer, "
            "duration_ms, mode, variant_seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    for qid in question_ids:
        card = CardRow(
            question_id=qid,
            state=2,
            step=None,
            stability=rng.uniform(1, 200),
            difficulty=rng.uniform(2, 9),
            due=NOW + timedelta(days=rng.uniform(-5, 60)),
            last_review=NOW - timedelta(days=rng.uniform(0, 30)),
            reps=rng.randint(5, 60),
            lapses=rng.choice([0, 0, 0, 1, 2, 3, 9]),
            introduced_at=start,
        )
        store.db["cards"].upsert(card.to_row(), pk="question_id")
    store.set_setting("exam_date", (NOW + timedelta(days=21)).date().isoformat())


async def measure(db_path: Path) -> dict[str, float]:
    library = load_library()
    store = Store(db_path)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        home_ready = time.perf_counter() - started
        home = app.screen
        refresh = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            home.refresh_data()
            refresh.append(time.perf_counter() - t)
        t = time.perf_counter()
        await pilot.press("s")
        await pilot.pause()
        stats_ready = time.perf_counter() - t
        assert isinstance(app.screen, StatsScreen)
        reload = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            app.screen.action_reload()
            reload.append(time.perf_counter() - t)
    store.close()
    return {
        "home_open_s": home_ready,
        "home_refresh_s": statistics.median(refresh),
        "stats_open_s": stats_ready,
        "stats_refresh_s": statistics.median(reload),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args()
    ids = list(load_library().questions)
    with tempfile.TemporaryDirectory() as tmp:
        empty, large = Path(tmp) / "empty.db", Path(tmp) / "large.db"
        Store(empty).close()
        t = time.perf_counter()
        store = Store(large)
        fill(store, ids, args.reviews)
        count = store.review_count()
        store.close()
        print(f"filled {count} reviews for {len(ids)} questions in {time.perf_counter() - t:.1f} s")
        asyncio.run(measure(empty))  # warm imports and caches once
        base = asyncio.run(measure(empty))
        big = asyncio.run(measure(large))
    print(f"{'figure':<18}{'empty DB':>12}{f'{count} reviews':>20}{'ratio':>8}")
    for key in base:
        ratio = big[key] / base[key] if base[key] else float("nan")
        print(f"{key:<18}{base[key] * 1000:>10.1f}ms{big[key] * 1000:>18.1f}ms{ratio:>7.2f}x")


if __name__ == "__main__":
    main()
