"""`quizapp drill`: open the app on "Drill my misconceptions"."""

from __future__ import annotations

import argparse

from quizapp.commands import Context

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "drill",
        parents=[common],
        help="drill your open misconceptions: questions and variants where the slip matters",
    )
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.commands.study import run_tui

    return run_tui(context, start_action="drill")
