"""How long one code check takes: the warm worker versus a fresh Python that imports torch.

Run: python benchmarks/grader.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import textwrap
import time

from quizapp import locations
from quizapp.content import Library, load_file
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
    from solvers import masking
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


def main() -> None:
    warm = statistics.median(warm_times())
    cold = statistics.median(cold_times())
    print(f"warm worker : median {warm * 1000:7.1f} ms over {WARM_RUNS} checks")
    print(f"fresh python: median {cold * 1000:7.1f} ms over {COLD_RUNS} checks")
    print(f"speed-up    : {cold / warm:7.1f}x")


if __name__ == "__main__":
    main()
