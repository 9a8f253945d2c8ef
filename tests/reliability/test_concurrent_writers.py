"""Two command-line graders, a study session and the TUI writing one database at once:
no corruption, no lost review, and nobody is told the database is locked."""

from __future__ import annotations

import json
import threading

import pytest

from procs import GOOD_DECKS as GOOD
from procs import finish_driver, integrity, review_ids, run_cli, start_driver

GRADES_PER_LOOP = 6
SESSION_REVIEWS = 1500
TUI_REVIEWS = 40


def grader_loop(db, answers, results) -> None:
    for answer in answers:
        result = run_cli(
            "grade",
            "basics.memory",
            "--answer",
            answer,
            "--json",
            "--db",
            str(db),
            "--content",
            str(GOOD),
        )
        results.append(result)


@pytest.mark.slow
def test_two_cli_graders_a_session_and_the_tui_share_one_database(tmp_path, capsys):
    db = tmp_path / "progress.db"
    assert run_cli("stats", "--db", str(db)).returncode == 0  # create it first
    session = start_driver(db, ui="session", count=SESSION_REVIEWS, seed=1)
    tui = start_driver(db, ui="tui", count=TUI_REVIEWS, seed=2)
    results: list = []
    loops = [
        threading.Thread(
            target=grader_loop, args=(db, ["8796 GB", "4 TB"] * (GRADES_PER_LOOP // 2), results)
        )
        for _ in range(2)
    ]
    for loop in loops:
        loop.start()
    driver_out = {
        name: finish_driver(proc, 240) for name, proc in (("session", session), ("tui", tui))
    }
    for loop in loops:
        loop.join(timeout=240)

    for name, (out, err, code) in driver_out.items():
        assert code == 0 and out.split()[-1] == "done", f"{name} driver failed: {err[-2000:]}"
        assert "locked" not in err.lower()
    confirmed = [int(x) for out, _, _ in driver_out.values() for x in out.split() if x.isdigit()]
    assert len(confirmed) == SESSION_REVIEWS + TUI_REVIEWS
    assert len(results) == 2 * GRADES_PER_LOOP
    for result in results:
        assert result.returncode in (0, 1), result.stderr.decode()
        assert "locked" not in (result.stderr + result.stdout).decode().lower()
        assert json.loads(result.stdout)["recorded"] is True
    assert integrity(db) == "ok"
    stored = review_ids(db)
    assert set(confirmed) <= stored
    assert len(stored) == len(confirmed) + len(results)
    with capsys.disabled():
        print(
            f"\n[concurrency] {len(stored)} reviews from 4 writers "
            f"({len(results)} CLI grades, {SESSION_REVIEWS} session, {TUI_REVIEWS} TUI), 0 lost"
        )
