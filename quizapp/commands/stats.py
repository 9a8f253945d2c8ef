"""`quizapp stats`: progress per topic, as a table or JSON."""

from __future__ import annotations

import json

from quizapp.commands import Context
from quizapp.scheduler import Planner
from quizapp.session import utc_now
from quizapp.stats import topic_summaries


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("stats", parents=[common], help="show progress per topic")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def run(context: Context, args) -> int:
    store = context.store
    summaries = topic_summaries(context.library, store, Planner.from_store(store), utc_now())
    if args.json:
        data = {"reviews": store.review_count(), "topics": [s.to_dict() for s in summaries]}
        print(json.dumps(data, indent=2))
        return 0
    print(f"{'topic':<28}{'seen':>9}{'due':>6}{'mastery':>9}{'accuracy':>10}")
    for s in summaries:
        seen = f"{s.seen}/{s.total}"
        print(f"{s.title:<28}{seen:>9}{s.due:>6}{_pct(s.mastery):>9}{_pct(s.accuracy):>10}")
    print(f"{store.review_count()} reviews in {context.db_path}")
    return 0
