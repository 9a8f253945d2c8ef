"""`quizapp drill`: open the app on "Drill my misconceptions"."""

from __future__ import annotations

from quizapp.commands import Context


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "drill",
        parents=[common],
        help="drill your open misconceptions: questions and variants where the slip matters",
    )
    parser.set_defaults(func=run)


def run(context: Context, args) -> int:
    from quizapp.commands.study import run_tui

    return run_tui(context, start_action="drill")
