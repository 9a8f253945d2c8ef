"""`quizapp import-progress`: merge a JSON export into the progress database.

Reviews and attempts already present are not added twice, and nothing is removed. A rolling
backup is taken first, so an unwanted import can be undone.
"""

from __future__ import annotations

import argparse

from quizapp.commands import Context
from quizapp.locations import expand_path
from quizapp.progress import backup
from quizapp.progress import export as progress_export

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import-progress", parents=[common], help="merge progress from a JSON export"
    )
    parser.add_argument("file", metavar="FILE", help="a file written by `quizapp export-progress`")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    data = progress_export.read_export(expand_path(args.file))
    store = context.store
    saved = ""
    if not store.is_memory and store.review_count():
        saved = f" (backup first: {backup.rolling_backup(store.conn, store.path, reason='import')})"
    summary = progress_export.import_progress(store, data)
    print(f"Imported {summary}{saved}")
    return 0
