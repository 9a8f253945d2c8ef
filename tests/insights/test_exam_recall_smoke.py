"""The exam-recall benchmark, small: 20 simulated students over 7 days at 20 minutes a day.

It runs the real thing (quizapp through a Store on SQLite files, the planner and
StudySession; plain FSRS as Anki runs it; the oracle that knows the true memory) and checks
the order the full benchmark reports: quizapp well above plain FSRS and close to the
oracle. Not a timed test: the figures are recall, not seconds."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "exam_recall.py"


def _benchmark():
    spec = importlib.util.spec_from_file_location("exam_recall", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # 20 students x 3 policies, each quizapp run on its own SQLite file
def test_quizapp_beats_plain_fsrs_and_comes_close_to_the_oracle():
    bench = _benchmark()
    rows = bench.simulate(20, settings=((7, 20),), seed=11)
    assert len(rows) == 20 * 3

    def mean(policy: str, key: str) -> float:
        return statistics.fmean(r[key] for r in rows if r["policy"] == policy)

    for key in ("recall", "recall_weighted"):
        quizapp, plain, oracle = mean("quizapp", key), mean("plain-fsrs", key), mean("oracle", key)
        assert quizapp > plain + 0.15, (key, quizapp, plain)
        assert quizapp >= 0.9 * oracle, (key, quizapp, oracle)
    # everyone had the same minutes; each studied about them
    for policy in bench.POLICIES:
        assert 7 * 20 * 0.9 <= mean(policy, "minutes_used") <= 7 * 20 * 1.15
    summary = bench.summarise(rows)
    assert {r["policy"] for r in summary} == set(bench.POLICIES)
