"""`quizapp mock`: sit a timed mock exam in the app, list past ones, or save a report."""

from __future__ import annotations

import argparse
from pathlib import Path

from quizapp.commands import Context
from quizapp.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers

DESCRIPTION = """\
A timed mock exam assembled like the exercise sheet (calculations, code, choice and
open questions; fresh numbers; no feedback until the end). Without options it opens the
app on the mock exam, where you start one (like the sheet, or weighted towards your
weakest topics) or resume the unfinished one. Answers are saved as you give them.
"""


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "mock",
        parents=[common],
        help="a timed mock exam in the app; --report FILE saves a report as Markdown",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--report", metavar="FILE", help="write the report of the latest exam (or --exam N)"
    )
    parser.add_argument("--exam", metavar="N", type=int, help="which exam (see --list)")
    parser.add_argument("--list", action="store_true", help="list your mock exams and scores")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    if args.list:
        return _list(context)
    if args.report:
        return _write_report(context, args.report, args.exam)
    if args.exam is not None:
        raise UsageError("--exam N goes with --report FILE")
    from quizapp.commands.study import run_tui

    return run_tui(context, start_action="mock")


def _list(context: Context) -> int:
    from quizapp.progress import mock_exams

    exams = mock_exams.exams(context.store)
    if not exams:
        print("No mock exams yet. Start one with: quizapp mock")
        return 0
    print(f"{'exam':>4}  {'started':<17} {'mode':<6} {'status':<8} {'score':>14}")
    for e in exams:
        score = (
            f"{e.score or 0:.4g}/{e.max_score:.4g} ({(e.score or 0) / e.max_score:.0%})"
            if e.max_score
            else "-"
        )
        started = f"{e.started_at.astimezone():%Y-%m-%d %H:%M}"
        print(f"{e.id:>4}  {started:<17} {e.mode:<6} {e.status:<8} {score:>14}")
    return 0


def _write_report(context: Context, file: str, exam_id: int | None) -> int:
    from quizapp.mock.report import build_mock_report, to_markdown
    from quizapp.progress import mock_exams

    store = context.store
    if exam_id is None:
        exam_id = mock_exams.latest_ended_id(store)
        if exam_id is None:
            raise UsageError(
                "no mock exam has ended yet; sit one with `quizapp mock` (or list them: --list)"
            )
    exam = mock_exams.exam(store, exam_id)
    if exam is None:
        raise UsageError(f"there is no mock exam {exam_id}; `quizapp mock --list` shows them")
    if exam.status == mock_exams.RUNNING:
        raise UsageError(
            f"mock exam {exam_id} is still running; finish it in the app (quizapp mock)"
        )
    try:
        text = to_markdown(build_mock_report(context.library, store, exam_id))
    except LookupError as err:
        raise UsageError(str(err)) from None
    path = Path(file).expanduser()
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror}") from None
    print(f"Wrote the report of mock exam {exam_id} to {path}")
    return 0
