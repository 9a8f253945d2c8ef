"""`quizapp grade`: judge an answer or a code file from the shell.

Exit 0 correct, 1 incorrect, 2 error (unknown id, unreadable file or answer, usage).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.scheduler import Planner
from quizapp.session import Outcome, StudySession

MAX_SOURCE_BYTES = 200_000


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "grade", parents=[common], help="grade a code file or an answer for one question"
    )
    parser.add_argument("question_id", metavar="QUESTION_ID")
    parser.add_argument("file", metavar="FILE", nargs="?", help="your code ('-' reads stdin)")
    parser.add_argument(
        "--answer", metavar="TEXT", help="a numeric answer, or choices like A or A,C (or 1,3)"
    )
    parser.add_argument(
        "--seed", type=int, help="variant of a parameterised question (default: the fixed one)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--no-record", action="store_true", help="do not save this attempt")
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


def _choice_letters(text: str, count: int) -> set[int]:
    letters = [part.strip().upper() for part in text.replace(" ", ",").split(",") if part.strip()]
    chosen = set()
    for letter in letters:
        if letter.isdigit():
            index = int(letter) - 1
        else:
            index = ord(letter) - ord("A") if len(letter) == 1 else -1
        if not 0 <= index < count:
            raise UsageError(
                f"{letter!r} is not an option; use letters A–{chr(ord('A') + count - 1)}"
            )
        chosen.add(index)
    return chosen


def run(context: Context, args) -> int:
    library = context.library
    question = library.questions.get(args.question_id)
    if question is None:
        raise UsageError(f"unknown question id {args.question_id!r}; `quizapp list` shows them")
    if args.no_record:
        from quizapp.store import Store

        store = Store(":memory:")
    else:
        store = context.store
    grader = None
    if question.kind == "code":
        if not args.file:
            raise UsageError(f"{question.id} is a code question: pass the file with your function")
        from quizapp.grading.code import CodeGrader

        grader = CodeGrader()
    elif question.kind in ("numeric", "choice"):
        if args.answer is None:
            raise UsageError(f"{question.id} is a {question.kind} question: pass --answer TEXT")
    else:
        raise UsageError(f"{question.id} is a {question.kind} question; study it in the app")
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=[], grader=grader
    )
    # Choices are named in the deck file's order (A = first option there), never shuffled.
    fixed = args.seed is None or question.kind == "choice"
    session.show(question.id, seed=args.seed, fixed=fixed)
    try:
        outcome = _grade(session, question, args)
    finally:
        if grader is not None:
            grader.close()
    return _report(
        question.id, outcome, args.json, recorded=outcome.recorded and not args.no_record
    )


def _grade(session: StudySession, question, args) -> Outcome:
    if question.kind == "code":
        return session.check_code(_read_source(args.file))
    if question.kind == "numeric":
        return session.answer_numeric(args.answer)
    return session.answer_choice(_choice_letters(args.answer, len(question.options)))


def _report(question_id: str, outcome: Outcome, as_json: bool, *, recorded: bool) -> int:
    correct = outcome.status == "correct"
    code = 0 if correct else 2 if outcome.status == "unreadable" else 1
    if as_json:
        data = {
            "id": question_id,
            "correct": correct,
            "status": outcome.status,
            "feedback": outcome.message,
            "recorded": recorded,
        }
        verdict = outcome.details.get("verdict")
        if verdict is not None:
            data["cases_passed"] = verdict.cases_passed
            data["cases_total"] = verdict.cases_total
            data["feedback"] = verdict.feedback
        print(json.dumps(data, indent=2))
    else:
        _print_markdown(("✓ " if correct else "✗ ") + outcome.message)
    return code


def _print_markdown(text: str) -> None:
    """Feedback is Markdown: styled on a terminal, plain text (no `**`, no colour codes)
    into pipes and files; `--json` keeps the Markdown itself."""
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    if sys.stdout.isatty():
        Console().print(Markdown(text))
        return
    plain = Console(
        file=io.StringIO(), force_terminal=False, no_color=True, width=100, highlight=False
    )
    plain.print(Markdown(text))
    lines = [line.rstrip() for line in plain.file.getvalue().splitlines()]
    print("\n".join(lines).strip("\n"))
