"""SIGKILL a study session at random moments: every committed review survives, the file
stays sound and the app starts normally afterwards."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from quizapp.cli import main

from procs import integrity, review_ids, run_cli, start_driver

KILLS = 20
TUI_KILLS = 4  # of the KILLS, this many drive the real Textual app headless


def run_and_kill(db, ui: str, delay: float) -> list[int]:
    """Start the driver, wait until it writes, kill it after `delay`; the ids it confirmed."""
    proc = start_driver(db, ui=ui, seed=int(delay * 1e6))
    first = proc.stdout.readline().strip()
    assert first == b"ready", proc.stderr.read().decode()
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return [int(line) for line in out.split() if line.isdigit()]


@pytest.mark.slow
def test_sigkill_mid_session_loses_no_committed_review(tmp_path, capsys):
    db = tmp_path / "progress.db"
    rng = random.Random(20261102)
    confirmed: list[int] = []
    for kill in range(KILLS):
        ui = "tui" if kill >= KILLS - TUI_KILLS else "session"
        ids = run_and_kill(db, ui, rng.uniform(0.05, 1.5))
        confirmed += ids
        assert integrity(db) == "ok", f"after kill {kill + 1}"
        missing = set(confirmed) - review_ids(db)
        assert not missing, f"after kill {kill + 1}: committed reviews lost: {sorted(missing)}"
        assert main(["stats", "--db", str(db)]) == 0, f"app did not start after kill {kill + 1}"
        assert "Traceback" not in capsys.readouterr().err
    assert len(confirmed) > KILLS * 10, "the driver should have been writing when killed"
    # And the real command line, in a fresh process, opens the file after all that.
    result = run_cli("stats", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    with capsys.disabled():
        print(f"\n[crash] {KILLS} kills, {len(confirmed)} committed reviews, 0 lost")
