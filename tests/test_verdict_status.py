"""A new verdict status is a change in one place: quizapp/grading/verdict.py.

Its label lives on `Status`; nothing else may list particular statuses (a dict keyed by
them, a membership test over several, a stylesheet rule per status), or a new status would
show unlabelled or unstyled there. Comparing with one status for its own meaning (is it
correct, was it cancelled) is fine. "correct" and "incorrect" are also the outcome of any
judged answer (`study.answer_log.Outcome`), so the verdict line styles those two.
"""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.grading.verdict import CodeVerdict, Status

ROOT = Path(__file__).resolve().parents[1]
MEMBER = r"Status\.[A-Z]+\b"
LISTED = re.compile(
    rf"[{{,]\s*{MEMBER}\s*:"  # a dict keyed by statuses
    rf"|\bin\s*[(\[{{]\s*{MEMBER}"  # `status in (Status.X, ...)`
)
FAILING = "|".join(s.value for s in Status if s not in (Status.CORRECT, Status.INCORRECT))
STYLED = re.compile(rf"#verdict\.({FAILING})\b")  # a stylesheet rule for one failing status


def _status_lists(root: Path) -> dict[str, list[str]]:
    """Files under `root` (laid out like quizapp/) that list particular statuses."""
    found = {}
    for path in [*root.rglob("*.py"), *root.rglob("*.tcss")]:
        name = str(path.relative_to(root))
        if name == "grading/verdict.py":
            continue
        pattern = STYLED if path.suffix == ".tcss" else LISTED
        hits = [" ".join(m.group(0).split()) for m in pattern.finditer(path.read_text())]
        if hits:
            found[name] = hits
    return found


def test_the_scan_finds_a_status_listed_outside_the_verdict_module(tmp_path):
    (tmp_path / "grading").mkdir()
    (tmp_path / "tui").mkdir()
    (tmp_path / "grading" / "verdict.py").write_text("_LABELS = {Status.CORRECT: 'Correct'}\n")
    (tmp_path / "tui" / "colours.py").write_text("COLOUR = {Status.TIMEOUT: 'red'}\n")
    (tmp_path / "tui" / "flow.py").write_text(
        "if verdict.status in (Status.MEMORY, Status.TIMEOUT):\n    pass\n"
        "if verdict.status == Status.CANCELLED:\n    pass\n"  # one status's own meaning: fine
    )
    (tmp_path / "tui" / "app.tcss").write_text(
        "#verdict.failed { color: red; }\n#verdict.timeout { color: red; }\n"
    )
    assert _status_lists(tmp_path) == {
        "tui/colours.py": ["{Status.TIMEOUT:"],
        "tui/flow.py": ["in (Status.MEMORY"],
        "tui/app.tcss": ["#verdict.timeout"],
    }


def test_no_file_outside_the_verdict_module_lists_statuses():
    assert _status_lists(ROOT / "quizapp") == {}, "put it on Status (grading/verdict.py)"


def test_every_status_has_a_label():
    for status in Status:
        assert status.label.strip() and status.label != status.value, status
        assert CodeVerdict(status.value, "", 0, 0).status is status  # read back from the wire
