"""`quizapp check`: validate every deck deeply; exit 1 if anything is wrong."""

from __future__ import annotations

import argparse
import sys

from quizapp.commands import Context
from quizapp.decks.checker import check_library

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check", parents=[common], help="validate all decks (schema, ids, solvers, code references)"
    )
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    library = context.library
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\rchecking {done}/{total} questions…", end="", file=sys.stderr, flush=True)

    problems = check_library(library, progress)
    if interactive:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    for problem in problems:
        print(problem)
    count = len(library.questions)
    if problems:
        print(f"{len(problems)} problem(s) in {count} questions", file=sys.stderr)
        return 1
    print(f"ok: {count} questions in {len(library.topics)} topics")
    return 0
