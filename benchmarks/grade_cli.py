"""`quizapp grade ID FILE` from the shell: today's cold call next to warm calls through the
grading service, in the same run. Prints figures and ratios; asserts only that every
check is correct.

    .venv/bin/python benchmarks/grade_cli.py

The question has 6 cases (masking.zero-weights). Every call is a whole `quizapp` process,
as a student's shell or editor runs it; the service gets its own runtime directory and
is stopped at the end. "round trip" is one request to the running service from a
process that is already up (the grading itself plus the socket), so "CLI warm" minus it
is what the `quizapp` process costs around it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

QUESTION = "masking.zero-weights"
SUBMISSION = textwrap.dedent("""
    import math
    import torch

    def masked_attention(q, k, v, mask):
        w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
        return w.masked_fill(~mask, 0.0) @ v
""")
COLD_RUNS = 3
WARM_RUNS = 20


def _env(runtime: Path, cache: Path) -> dict[str, str]:
    # As on a student's machine: bytecode caches written and reused, no service opt-out.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "QUIZAPP_NO_SERVICE")
    }
    env.update(QUIZAPP_RUNTIME_DIR=str(runtime), QUIZAPP_CACHE_DIR=str(cache))
    return env


CPU: list[float] = []  # user+system seconds of each `quizapp` process (less load-sensitive)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _call(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    cpu = _children_cpu()
    started = time.perf_counter()
    out = subprocess.run(
        [str(Path(sys.executable).parent / "quizapp"), *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    data = json.loads(out.stdout)
    assert data["correct"], (data, out.stderr)
    return elapsed, data


def _round_trips(env: dict[str, str], runs: int) -> list[float]:
    """One warm request at a time from this (already started) process."""
    os.environ.update(env)
    from quizapp.decks.content import load_library
    from quizapp.service.client import ServiceGrader

    question = load_library().questions[QUESTION]
    grader = ServiceGrader([])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        verdict = grader.grade(question, SUBMISSION)
        times.append(time.perf_counter() - started)
        assert verdict.correct and grader.via == "service", verdict
    return times


def _line(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return (
        f"{name:<34} median {statistics.median(ms):7.1f} ms   "
        f"min {ms[0]:7.1f}   p90 {p90:7.1f}   ({len(ms)} runs)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="qz-bench-") as folder:
        root = Path(folder)
        runtime, cache, source = root / "run", root / "cache", root / "answer.py"
        source.write_text(SUBMISSION)
        env = _env(runtime, cache)
        db = ["--db", str(root / "progress.db")]
        grade = ["grade", QUESTION, str(source)]

        subprocess.run(  # parse the decks once, as any earlier use of quizapp would have
            [str(Path(sys.executable).parent / "quizapp"), "list"], env=env, capture_output=True
        )

        cold = [_call([*db, *grade, "--no-service"], env)[0] for _ in range(COLD_RUNS)]
        first, data = _call([*db, *grade], env)
        assert data["checked_by"] == "service"
        CPU.clear()
        warm_no_record = []
        for _ in range(WARM_RUNS):
            elapsed, data = _call([*db, *grade, "--no-record"], env)
            assert data["checked_by"] == "service", data
            warm_no_record.append(elapsed)
        warm_cpu = statistics.median(CPU)
        warm_record = [_call([*db, *grade], env)[0] for _ in range(WARM_RUNS)]
        trips = _round_trips(env, WARM_RUNS)
        subprocess.run(
            [str(Path(sys.executable).parent / "quizapp"), "worker", "stop"],
            env=env,
            capture_output=True,
        )

    cold_median = statistics.median(cold)
    print(f"quizapp grade {QUESTION} (6 cases), whole processes, same run:")
    print(_line("cold: --no-service (today's path)", cold))
    print(f"{'first call (starts the service)':<34} {first * 1000:14.1f} ms")
    print(_line("warm via service, --no-record", warm_no_record))
    print(_line("warm via service, recorded", warm_record))
    print(_line("round trip only (no new process)", trips))
    for name, times in (("--no-record", warm_no_record), ("recorded", warm_record)):
        warm = statistics.median(times)
        print(f"cold / warm ({name}): {cold_median / warm:5.1f}x")
    print(
        "CLI process around the check (warm --no-record minus round trip): "
        f"{(statistics.median(warm_no_record) - statistics.median(trips)) * 1000:.1f} ms wall, "
        f"{warm_cpu * 1000:.1f} ms CPU (median user+system of the quizapp process)"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
