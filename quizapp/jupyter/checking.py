"""`quizapp.check(ID, fn_or_source)`: one code check from a notebook or any Python, graded
and recorded exactly as `quizapp grade ID FILE` grades and records it.

The warm per-user grading service does the work when it can (it grades in its sandbox and
records in the progress database the caller names); where it cannot start, a private
grader in this process does, with the same recording rules (`record_check`). Nothing here
imports IPython.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from pathlib import Path

from quizapp import locations
from quizapp.errors import QuizappError, UsageError
from quizapp.jupyter.result import CheckResult
from quizapp.jupyter.source import source_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.decks.content import Library, Question
    from quizapp.grading.code import CodeGrader
    from quizapp.grading.verdict import CodeVerdict
    from quizapp.progress.store import Store
    from quizapp.study.answer_log import Outcome
    from quizapp.study.session import CodeChecker

MAX_SOURCE_CHARS = 200_000  # what the grading service accepts


def check(
    question_id: str,
    fn_or_source: Callable | str,
    *,
    record: bool = True,
    db: str | os.PathLike | None = None,
    content: list[str | os.PathLike] | None = None,
    use_service: bool = True,
) -> CheckResult:
    """Check a function (or its source) against a code question; returns a `CheckResult`
    whose `.correct` says whether it passed, and which a notebook shows as the verdict.

    `record=False` leaves the progress database alone; `db` and `content` are what
    `--db` and `--content` are to the `quizapp` command (default: `$QUIZAPP_DB`, the
    bundled decks plus `$QUIZAPP_CONTENT`).
    """
    source = source_of(fn_or_source)
    if len(source) > MAX_SOURCE_CHARS:
        raise UsageError(f"the code is longer than {MAX_SOURCE_CHARS // 1000} k characters")
    dirs = locations.extra_content_dirs() + [locations.expand_path(str(d)) for d in content or []]
    db_path = (locations.expand_path(str(db)) if db else locations.default_db_path()).resolve()
    from quizapp.grading.availability import why_no_code_checks

    unavailable = why_no_code_checks()
    if unavailable:
        return CheckResult(question_id, "unavailable", unavailable)
    why_not_service = "not asked to" if not use_service else ""
    if use_service and not locations.service_disabled():
        answer = _check_in_service(question_id, source, dirs, db_path if record else None)
        if isinstance(answer, CheckResult):
            return answer
        why_not_service = answer
    return _check_here(question_id, source, dirs, db_path if record else None, why_not_service)


# ------------------------------------------------------------------- the warm service


def _check_in_service(
    question_id: str, source: str, dirs: list[Path], db: Path | None
) -> CheckResult | str:
    """The result, or why the check must run in this process ("" if the service does not
    know the id as a code question: the local path then says what is wrong)."""
    from quizapp.service.client import ServiceClient

    report = ServiceClient().check(dirs, question_id, source, db=db)
    if isinstance(report, str):
        return report
    verdict = report.verdict
    return CheckResult(
        question_id,
        str(verdict.status),
        report.message,
        verdict.cases_passed,
        verdict.cases_total,
        recorded=report.recorded,
        checked_by="service",
        note=_record_note(db, report.recorded, report.next_due, report.evidence_note),
    )


# ------------------------------------------------------------- a grader in this process

_local_lock = threading.Lock()
_local_grader: CodeGrader | None = None


def _grader() -> CodeGrader:
    """One private grader per process (a kernel), started on first use, stopped at exit."""
    global _local_grader
    with _local_lock:
        if _local_grader is None:
            from quizapp.grading.code import CodeGrader

            _local_grader = CodeGrader()
            atexit.register(_local_grader.close)
        return _local_grader


def _check_here(
    question_id: str, source: str, dirs: list[Path], db: Path | None, why_not_service: str
) -> CheckResult:
    from quizapp.decks.content import load_library
    from quizapp.kinds import handler
    from quizapp.kinds.base import Judge

    library = load_library(dirs)
    question = library.questions.get(question_id)
    if question is None:
        raise UsageError(f"unknown question id {question_id!r}; `quizapp list` shows them")
    if handler(question.kind).judge != Judge.GRADER:
        raise UsageError(
            f"{question.id} is a {question.kind} question; only code questions are checked here"
        )
    grader = _grader()
    verdict: CodeVerdict | None
    if db is None:
        verdict = grader.grade(question, source)
        message, recorded, due = verdict.feedback, False, None
    else:
        from quizapp.progress.store import Store

        store = Store(db)
        try:
            outcome = record_check(library, store, grader, question, source)
        finally:
            store.close()
        verdict = outcome.verdict
        message, recorded, due = outcome.message, outcome.recorded, outcome.next_due
        if verdict is None:
            raise QuizappError(message)
    note = _record_note(db, recorded, due, getattr(outcome, "evidence_note", "") if db else "")
    if why_not_service and why_not_service != "not asked to":
        note = f"Checked in this process (grading service unavailable: {why_not_service}). {note}"
    return CheckResult(
        question_id,
        verdict.status,
        message,
        verdict.cases_passed,
        verdict.cases_total,
        recorded=recorded,
        checked_by="in-process",
        note=note.strip(),
    )


def record_check(
    library: Library, store: Store, grader: CodeChecker, question: Question, source: str
) -> Outcome:
    """Grade and record one check exactly as `quizapp grade` does through the service (the
    evidence rule decides review or practice): one function for every client."""
    from quizapp.service.server import check_and_record

    outcome, _ = check_and_record(library, store, grader, question, source, None)
    return outcome


def _record_note(
    db: Path | None, recorded: bool, next_due: datetime | None, evidence_note: str = ""
) -> str:
    """What the check did to the progress file; practice (the evidence rule's later
    checks of the day) leaves the schedule alone and says so."""
    if db is None:
        return "Not recorded (record=False): your progress is unchanged."
    if not recorded:
        return f"Attempt kept in {db}; a passing check becomes the review."
    if next_due is None:
        return f"Recorded in {db} as {evidence_note or 'practice'}; the schedule is unchanged."
    return f"Recorded as a review in {db}; next review {next_due.astimezone():%Y-%m-%d %H:%M}."
