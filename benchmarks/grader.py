"""How long one code check takes: the warm worker versus a fresh Python that imports torch.

Run: python benchmarks/grader.py. Started as root it also measures the warm check as an
ordinary account (`--as USER`, default quizapp-student, which the sandbox tests create),
since ordinary users are confined differently (user namespace instead of a private uid).
All figures come from the same run; the ratio is what to compare between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import statistics
import subprocess
import sys
import textwrap
import time

from quizapp import locations
from quizapp.decks.content import Library, load_file
from quizapp.grading.code import CodeGrader

WARM_RUNS = 30
COLD_RUNS = 5

SUBMISSION = textwrap.dedent("""
    import math
    import torch

    def masked_attention(q, k, v, mask):
        w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
        return w.masked_fill(~mask, 0.0) @ v
""")

# The same check without a warm process: import torch and the solvers, build the cases,
# run the submission and compare with the reference.
COLD = textwrap.dedent("""
    import random, sys, torch
    from quizapp.solvers import masking
    namespace = {}
    exec(compile(sys.argv[1], "<your code>", "exec"), namespace)
    cases = masking.cases(random.Random(0))
    for case in cases:
        torch.testing.assert_close(namespace["masked_attention"](**case), masking.zero_weights(**case))
    print("correct")
""")


def question():
    library, seen = Library(), {}
    load_file(locations.bundled_content_dir() / "masking-code.yaml", library, seen)
    return library.questions["masking.zero-weights"]


def warm_times() -> list[float]:
    q = question()
    with CodeGrader() as grader:
        grader.start()
        assert grader.grade(q, SUBMISSION, seed=0).correct  # pays for the worker's start-up
        times = []
        for seed in range(WARM_RUNS):
            started = time.perf_counter()
            verdict = grader.grade(q, SUBMISSION, seed=seed)
            times.append(time.perf_counter() - started)
            assert verdict.correct, verdict.feedback
    return times


def cold_times() -> list[float]:
    times = []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD, SUBMISSION], capture_output=True, text=True, check=True
        )
        times.append(time.perf_counter() - started)
        assert out.stdout.strip() == "correct", out.stderr
    return times


def as_user(name: str) -> float | None:
    """The warm median measured by this script run as another account (None if it cannot)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    done = subprocess.run(
        [sys.executable, __file__, "--warm-only"],
        capture_output=True,
        text=True,
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        cwd="/tmp",
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp"},
        check=False,
    )
    if done.returncode != 0:
        print(f"(as {name}: failed: {done.stderr.strip()[-300:]})")
        return None
    return json.loads(done.stdout)["warm"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--as", dest="user", default="quizapp-student")
    parser.add_argument("--warm-only", action="store_true")
    args = parser.parse_args()
    if args.warm_only:
        print(json.dumps({"warm": statistics.median(warm_times())}))
        return
    warm = statistics.median(warm_times())
    other = as_user(args.user) if os.geteuid() == 0 else None
    cold = statistics.median(cold_times())
    who = "root" if os.geteuid() == 0 else "this user"
    print(f"warm worker ({who}): median {warm * 1000:7.1f} ms over {WARM_RUNS} checks")
    if other is not None:
        print(f"warm worker ({args.user}): median {other * 1000:7.1f} ms over {WARM_RUNS} checks")
    print(f"fresh python: median {cold * 1000:7.1f} ms over {COLD_RUNS} checks")
    print(f"fresh / warm ({who}): {cold / warm:5.1f}x")
    if other is not None:
        print(f"fresh / warm ({args.user}): {cold / other:5.1f}x")


if __name__ == "__main__":
    main()
