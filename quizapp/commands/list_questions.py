"""`quizapp list`: every question with its topic and kind."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context
from quizapp.textsafe import say

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("list", parents=[common], help="list the questions")
    parser.add_argument("--topic", help="only this topic")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    library = context.library
    questions = [q for q in library.questions.values() if not args.topic or q.topic == args.topic]
    if args.topic and not questions:
        known = ", ".join(library.topics)
        say(f"quizapp: no topic {args.topic!r}; topics are: {known}")
        return 1
    rows = [{"id": q.id, "topic": q.topic, "kind": q.kind, "title": q.title} for q in questions]
    if args.json:
        say(json.dumps(rows, indent=2))
        return 0
    width = max((len(r["id"]) for r in rows), default=10)
    for r in rows:
        say(f"{r['id']:<{width}}  {r['kind']:<9}  {r['title']}")
    say(f"{len(rows)} questions")
    return 0
