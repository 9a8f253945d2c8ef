"""`quizapp backup`: a consistent copy of the progress database, taken while it may be in use."""

from __future__ import annotations

import argparse

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path
from quizapp.progress import backup

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("backup", parents=[common], help="back up the progress database")
    parser.add_argument(
        "--to",
        metavar="FILE",
        help="write the backup here (default: a rolling backup in <db>.backups/)",
    )
    parser.add_argument(
        "--keep",
        type=int,
        default=backup.KEEP_BACKUPS,
        metavar="N",
        help=f"rolling backups to keep (default {backup.KEEP_BACKUPS})",
    )
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    if args.keep < 1:
        raise UsageError("--keep must be at least 1")
    store = context.store  # opening it first refuses corrupt or foreign files
    if store.is_memory:
        raise UsageError("an in-memory database cannot be backed up")
    if args.to:
        dest = backup.copy_database(store.conn, expand_path(args.to))
    else:
        dest = backup.rolling_backup(store.conn, store.path, reason="manual", keep=args.keep)
    print(f"Backed up {store.review_count()} reviews to {dest}")
    return 0
