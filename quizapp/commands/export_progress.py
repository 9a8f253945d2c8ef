"""`quizapp export-progress`: all progress as one JSON file (cards, reviews, attempts, settings)."""

from __future__ import annotations

import json
import sys

from quizapp.commands import Context
from quizapp.locations import expand_path
from quizapp.progress import export as progress_export


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "export-progress", parents=[common], help="export progress as JSON"
    )
    parser.add_argument("file", metavar="FILE", help="where to write the JSON ('-' for stdout)")
    parser.set_defaults(func=run)


def run(context: Context, args) -> int:
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
