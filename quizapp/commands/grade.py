"""`quizapp grade`: judge an answer or a code file from the shell.

Exit 0 correct, 1 incorrect, 2 error (unknown id, unreadable file or answer, usage).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quizapp import locations
from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.grading.verdict import Status

# typing.TYPE_CHECKING without importing typing, and the kind handlers are imported where
# they are used: a warm code check (`_check_in_service`) needs neither.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any, Protocol

    from fsrs import Rating

    from quizapp.commands import Subparsers
    from quizapp.decks.content import Question
    from quizapp.grading.verdict import CodeVerdict
    from quizapp.service.client import ServiceGrader
    from quizapp.study.session import CodeChecker, StudySession

    class Reported(Protocol):
        """What `_report` reads: the session's Outcome, or a code check shaped like it."""

        @property
        def status(self) -> str: ...
        @property
        def message(self) -> str: ...
        @property
        def recorded(self) -> bool: ...
        @property
        def verdict(self) -> Any: ...


MAX_SOURCE_BYTES = 200_000


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "grade", parents=[common], help="grade a code file or an answer for one question"
    )
    parser.add_argument("question_id", metavar="QUESTION_ID", nargs="?")
    parser.add_argument("file", metavar="FILE", nargs="?", help="your code ('-' reads stdin)")
    parser.add_argument(
        "--sandbox-info",
        action="store_true",
        help="list which sandbox layers confine code on this machine, then exit",
    )
    parser.add_argument(
        "--answer", metavar="TEXT", help="a numeric answer, or choices like A or A,C (or 1,3)"
    )
    parser.add_argument(
        "--seed", type=int, help="variant of a parameterised question (default: the fixed one)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="code: check again every time FILE is saved, until ctrl+c",
    )
    parser.add_argument("--no-record", action="store_true", help="do not save this attempt")
    parser.add_argument(
        "--no-service",
        action="store_true",
        help="check code in this process instead of the background grading service "
        "(also $QUIZAPP_NO_SERVICE=1)",
    )
    parser.set_defaults(func=run)


def _read_source(file: str) -> str:
    try:
        data = (
            sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1) if file == "-" else Path(file).read_bytes()
        )
    except OSError as err:
        raise UsageError(f"cannot read {file}: {err.strerror}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise UsageError(f"{file} is larger than {MAX_SOURCE_BYTES // 1000} kB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{file} is not UTF-8 text") from None


def run(context: Context, args: argparse.Namespace) -> int:
    if args.sandbox_info:
        return _sandbox_info(args.json)
    if not args.question_id:
        raise UsageError("which question? `quizapp grade QUESTION_ID FILE` (`quizapp list`)")
    fallback = ""
    if args.file and args.answer is None and not args.watch and not _why_no_code_checks():
        result = _check_in_service(context, args)
        if isinstance(result, int):
            return result
        fallback = result
    from typing import assert_never

    from quizapp.kinds import handler
    from quizapp.kinds.base import Judge

    library = context.library
    question = library.questions.get(args.question_id)
    if question is None:
        raise UsageError(f"unknown question id {args.question_id!r}; `quizapp list` shows them")
    kind = handler(question.kind)
    match kind.judge:  # who judges decides how the shell takes the answer
        case Judge.GRADER:
            if not args.file:
                raise UsageError(
                    f"{question.id} is a {question.kind} question: pass the file with your function"
                )
            return _run_code(context, question, args, fallback)
        case Judge.INSTANT:
            if args.watch:
                raise UsageError("--watch is for code questions")
            if args.answer is None:
                raise UsageError(f"{question.id} is a {question.kind} question: pass --answer TEXT")
        case Judge.SELF:
            if args.watch:
                raise UsageError("--watch is for code questions")
            raise UsageError(f"{question.id} is a {question.kind} question; study it in the app")
        case _:
            assert_never(kind.judge)
    session = _session(context, args)
    outcome = kind.answer_in_shell(session, question, args.answer, args.seed)
    assert outcome is not None  # every kind judged on the spot takes --answer
    recorded = outcome.recorded and not args.no_record
    return _report(
        question.id,
        outcome,
        args.json,
        recorded=recorded,
        note=_record_note(context, outcome, recorded=recorded, asked_not_to=args.no_record),
    )


def _sandbox_info(as_json: bool) -> int:
    """Probe the sandbox with a trivial submission and say which layers hold here."""
    from quizapp.grading.code import CodeGrader
    from quizapp.grading.layers import describe

    print("Checking the sandbox (starts a grader, about a second) …", file=sys.stderr)
    with CodeGrader(timeout_s=10.0) as grader:
        active = grader.sandbox_layers()
    if not active:
        raise UsageError("the grader did not start; check `python -c 'import torch'`")
    rows = describe(active)
    if as_json:
        print(json.dumps([{"layer": n, "active": on, "meaning": t} for n, on, t in rows]))
    else:
        import shutil
        import textwrap

        width = max(60, min(shutil.get_terminal_size((80, 24)).columns, 100))
        for name, on, text in rows:
            lines = textwrap.wrap(text, width - 15) or [""]
            print(f"{'✓' if on else '✗'} {name:<12} {lines[0]}")
            for line in lines[1:]:
                print(" " * 15 + line)
    return 0 if all(on for _, on, _ in rows) else 1


def _record_note(context: Context, outcome: Reported, *, recorded: bool, asked_not_to: bool) -> str:
    """Whether the answer went into the progress database: an answer given here counts
    like one in the app (a review that moves the schedule), which should be no surprise."""
    if asked_not_to:
        return "Not recorded (--no-record): your progress is unchanged."
    if not recorded:
        verdict = getattr(outcome, "verdict", None)
        if verdict is not None and not getattr(verdict, "correct", True):
            return (
                f"Kept as a failed attempt in {context.db_path}; the schedule is unchanged "
                "(a failed check before today's review makes that review Hard)."
            )
        return ""
    due = getattr(outcome, "next_due", None)
    if due is None:  # the evidence rule made it practice: say why
        why = getattr(outcome, "evidence_note", "") or "practice"
        return f"Recorded in {context.db_path} as {why}; the schedule is unchanged."
    rating = _rating(getattr(outcome, "rating", None))
    rated = f" ({rating.name})" if rating is not None else ""
    when = f"; next review {due.astimezone():%Y-%m-%d %H:%M}"
    return (
        f"Recorded as a review{rated} in {context.db_path}{when}. "
        "Checks before then are practice. Add --no-record to check without recording."
    )


def _session(
    context: Context, args: argparse.Namespace, grader: CodeChecker | None = None
) -> StudySession:
    """A session to judge one answer in (nothing shown yet); with --no-record its
    database is in memory, so the progress file is left alone."""
    from quizapp.study.scheduler import Planner
    from quizapp.study.session import StudySession

    if args.no_record:
        from quizapp.progress.store import Store

        store = Store(":memory:")
    else:
        store = context.store
    session = StudySession(
        library=context.library,
        store=store,
        planner=Planner.from_store(store),
        question_ids=[],
        grader=grader,
    )
    session.misconception_source = "shell"  # recorded misconceptions say where they were seen
    return session


def _check_in_service(context: Context, args: argparse.Namespace) -> int | str:
    """One code check on the warm path: the grading service loads the decks, grades,
    records (it has the scheduler and database code loaded) and renders the verdict; this
    process only reads the file, sends it and prints the answer.

    Returns the exit code, or why the usual path must run instead ("" when the service
    does not know the question as a code question: the usual path then says what is wrong).
    """
    if args.no_service or locations.service_disabled():
        return ""
    from quizapp.markdown_text import TextStyle
    from quizapp.service.client import (
        ServiceClient,
    )

    args.source = _read_source(args.file)  # read once: stdin cannot be read twice
    render = None if args.json else TextStyle.for_stdout().to_dict()
    outcome = ServiceClient().check(
        context.content_dirs,
        args.question_id,
        args.source,
        seed=args.seed,
        db=None if args.no_record else context.db_path,
        render=render,
    )
    if isinstance(outcome, str):
        return outcome
    note = _record_note(context, outcome, recorded=outcome.recorded, asked_not_to=args.no_record)
    return _report(
        args.question_id,
        outcome,
        args.json,
        recorded=outcome.recorded,
        checked_by="service",
        note=note,
    )


def _run_code(
    context: Context, question: Question, args: argparse.Namespace, fallback: str = ""
) -> int:
    """Code goes to the grading service (or this process); --watch repeats on every save.

    `fallback` is why the warm path (`_check_in_service`) could not be used, if it was tried.
    """
    why_not = _why_no_code_checks()
    if why_not:
        print(f"quizapp: {question.id}: {why_not}", file=sys.stderr)
        return 2
    from quizapp.markdown_text import TextStyle
    from quizapp.service.client import ServiceGrader

    grader = ServiceGrader(
        context.content_dirs,
        use_service=not args.no_service and not fallback,
        style=None if args.json else TextStyle.for_stdout(),  # the service renders for us
    )
    grader.why_not_service = fallback
    checks = _CodeChecks(context, question, args, grader)
    try:
        if args.watch:
            from quizapp.commands.grade_watch import watch

            return watch(Path(args.file), checks, json_output=args.json)
        return checks()
    finally:
        grader.close()


def _why_no_code_checks() -> str:
    from quizapp.grading.availability import why_no_code_checks

    return why_no_code_checks()


class _CodeChecks:
    """Checks of one file against one question: one, or one per save with --watch (all in
    one session, so failed checks before a pass count as they do in the app)."""

    def __init__(
        self,
        context: Context,
        question: Question,
        args: argparse.Namespace,
        grader: ServiceGrader,
    ) -> None:
        self.context, self.question, self.args, self.grader = context, question, args, grader
        self._session: StudySession | None = None
        self._noted = False

    def __call__(self) -> int:
        args, question = self.args, self.question
        source = getattr(args, "source", None)  # already read by the warm path
        if source is None:
            source = _read_source(args.file)
        args.source = None  # --watch reads the file again on every save
        outcome: Reported
        if args.no_record:  # no progress database, no scheduler: the shortest path
            outcome = _VerdictOutcome(self.grader.grade(question, source))
        else:
            if self._session is None:
                self._session = _session(self.context, args, self.grader)
                self._session.show(question.id, seed=args.seed, fixed=args.seed is None)
            elif self._session.answered:  # --watch after a pass: the rule makes it practice
                self._session.show(question.id, seed=args.seed, fixed=args.seed is None)
            outcome = self._session.check_code(source)
        self._note_fallback()
        note = _record_note(
            self.context, outcome, recorded=outcome.recorded, asked_not_to=args.no_record
        )
        return _report(
            question.id,
            outcome,
            args.json,
            recorded=outcome.recorded,
            checked_by=self.grader.via,
            note=note,
        )

    def _note_fallback(self) -> None:
        """Say once why a check ran here instead of in the grading service."""
        why = self.grader.why_not_service
        if why and not self._noted:
            print(f"quizapp: grading service unavailable ({why}); checked here", file=sys.stderr)
            self._noted = True


def _rating(value: object) -> Rating | None:
    """A rating number from the service as fsrs's Rating (None when absent)."""
    if not isinstance(value, int) or not 1 <= value <= 4:
        return None
    from fsrs import Rating

    return Rating(value)


class _VerdictOutcome:
    """A code verdict shaped like the session's `Outcome`, for a check that is not recorded."""

    def __init__(self, verdict: CodeVerdict) -> None:
        self.status = verdict.status
        self.message = verdict.feedback
        self.recorded = False
        self.verdict = verdict


def _report(
    question_id: str,
    outcome: Reported,
    as_json: bool,
    *,
    recorded: bool,
    checked_by: str = "",
    note: str = "",
) -> int:
    correct = outcome.status == Status.CORRECT
    code = 0 if correct else 2 if outcome.status == "unreadable" else 1
    if as_json:
        data = {
            "id": question_id,
            "correct": correct,
            "status": outcome.status,
            "feedback": outcome.message,
            "recorded": recorded,
        }
        verdict = outcome.verdict
        if verdict is not None:
            data["cases_passed"] = verdict.cases_passed
            data["cases_total"] = verdict.cases_total
            data["feedback"] = verdict.feedback
        if checked_by:
            data["checked_by"] = checked_by  # "service" or "in-process"
        print(json.dumps(data, indent=2), flush=True)
    else:
        verdict = outcome.verdict
        rendered = getattr(verdict, "rendered", "")
        if rendered and outcome.message == verdict.feedback:
            sys.stdout.write(rendered)  # rendered by the grading service for this terminal
        else:
            _print_markdown(("✓ " if correct else "✗ ") + outcome.message)
        if note and outcome.status != "unreadable":
            print(note)
    return code


def _print_markdown(text: str) -> None:
    """Feedback is Markdown: styled on a terminal, plain text (no `**`, no colour codes)
    into pipes and files; `--json` keeps the Markdown itself."""
    from quizapp.markdown_text import TextStyle, render

    sys.stdout.write(render(text, TextStyle.for_stdout()))
