"""`quizapp misconceptions`: the wrong ideas your answers showed, and whether they are fixed."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context
from quizapp.study.session import utc_now
from quizapp.textsafe import say

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "misconceptions",
        parents=[common],
        help="list the misconceptions your answers showed: times seen, last seen, fixed",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.misconceptions.tracking import tracked

    items = tracked(context.library, context.store)
    if args.json:
        say(json.dumps([item.to_json() for item in items], indent=2))
        return 0
    if not items:
        say("No misconceptions recorded yet: wrong answers that match a known slip show up here.")
        return 0
    now = utc_now()
    say(f"{'misconception':<44}{'seen':>5}  {'last seen':<11}{'status':<8}")
    for item in items:
        status = "fixed" if item.fixed else "due" if item.due and item.due <= now else "open"
        title = _plain(item.title)[:42]
        say(f"{title:<44}{item.times_seen:>5}  {item.last_seen:%Y-%m-%d} {status:<8}")
    open_count = sum(not item.fixed for item in items)
    if open_count:
        say(f"\n{open_count} open. Drill them: quizapp study --misconceptions")
    return 0


def _plain(text: str) -> str:
    """Catalogue text is the deck author's: printable characters only on a terminal."""
    return "".join(ch if ch.isprintable() else " " for ch in text)
