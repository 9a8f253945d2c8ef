"""The warm grading worker: imports torch once, then grades submissions read from stdin.

Protocol: one JSON object per line on stdin, one JSON object per line on stdout. The first
line written is `{"ready": true}`. Jobs:

- `{"op": "grade", "source", "function", "reference", "cases", "known_mistakes",
  "rtol", "atol", "seed", "timeout_s", "memory_mb"}` -> a verdict
  `{"status", "feedback", "cases_passed", "cases_total"}`;
- `{"op": "selfcheck", ...same fields, no source}` -> the reference itself pushed through
  the sandbox, plus a check that every known mistake differs from it on some case.

For each job the worker builds the cases, forks a confined child that runs the submission
(`quizapp.grading.sandbox`), computes the reference outputs itself while the child runs, and
compares. The child only ever sends tensors and numbers back.
"""

from __future__ import annotations

from quizapp.grading.feedback_text import describe_case  # noqa: F401  (re-exported helper)

MAX_RESULT_BYTES = 32 * 2**20
SANDBOX_UID_BASE = 200_000
NOBODY = 65534
