"""`quizapp export-progress`: all progress as one JSON file (cards, reviews, attempts,
settings), or with `--for-class` an anonymised export for the instructor's class report."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path
from quizapp.progress import export as progress_export

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export-progress", parents=[common], help="export progress as JSON"
    )
    parser.add_argument("file", metavar="FILE", help="where to write the JSON ('-' for stdout)")
    parser.add_argument(
        "--for-class",
        action="store_true",
        help="anonymised, for your instructor's class report: a random id instead of you, "
        "days instead of times, no explanations or code",
    )
    parser.add_argument(
        "--include-text",
        action="store_true",
        help="with --for-class: also your explanations, code and its feedback",
    )
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    if args.include_text and not args.for_class:
        raise UsageError("--include-text goes with --for-class")
    if args.for_class:
        return _for_class(context, args)
    store = context.store
    if args.file == "-":
        json.dump(progress_export.export_progress(store), sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    path = expand_path(args.file)
    counts = progress_export.write_export(store, path)
    print(
        f"Exported {counts['reviews']} reviews, {counts['cards']} cards, "
        f"{counts['attempts']} attempts and {counts['settings']} settings to {path}"
    )
    return 0


def _for_class(context: Context, args: argparse.Namespace) -> int:
    from quizapp.progress.class_export import class_export, write_class_export

    kinds = {qid: str(q.kind) for qid, q in context.library.questions.items()}
    now = datetime.now(UTC)
    if args.file == "-":
        data = class_export(context.store, kinds, now=now, include_text=args.include_text)
        json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    path = expand_path(args.file)
    data = write_class_export(context.store, kinds, path, now=now, include_text=args.include_text)
    text = "with your explanations and code" if args.include_text else "without any text you wrote"
    print(
        f"Exported {len(data['reviews'])} answers and {len(data['attempts'])} code checks as "
        f"student {data['student']} ({text}) to {path}"
    )
    return 0
