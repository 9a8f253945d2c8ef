"""`quizapp stats`: the Stats screen's figures as tables, or JSON for scripts."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context
from quizapp.study import insights
from quizapp.study.scheduler import Planner
from quizapp.study.session import utc_now
from quizapp.study.stats import build_stats_report, topic_summaries
from quizapp.study.weakness import rank_weak_topics
from quizapp.textsafe import say

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stats",
        parents=[common],
        help="show progress: reviews per day, due forecast, topics, streak",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def collect(context: Context, now: datetime | None = None) -> dict:
    """Everything `stats` prints, as plain data."""
    now = now or utc_now()
    library, store = context.library, context.store
    planner = Planner.from_store(store)
    summaries = topic_summaries(library, store, planner, now)
    report = build_stats_report(library, store, planner, now, summaries=summaries)
    weakness = {t.topic: t.score for t in rank_weak_topics(summaries)}
    exam_day = insights.get_exam_date(store)
    plan = insights.exam_plan(library, store, planner, now, exam_day) if exam_day else None
    exam_recall = {t.topic: t.recall for t in plan.topics} if plan else {}
    data = report.to_dict()
    data["reviews"] = data.pop("total_reviews")
    data["desired_retention"] = planner.scheduler.desired_retention
    data["personal_parameters"] = bool(store.get_setting("fsrs_parameters"))
    for topic, summary in zip(data["topics"], summaries, strict=True):
        topic.update(
            due=summary.due,
            lapses=summary.lapses,
            weakness=weakness.get(summary.topic),
            exam_recall=exam_recall.get(summary.topic),
        )
    data["leeches"] = [vars(x) for x in insights.leeches(library, store)]
    data["exam"] = (
        {
            "date": plan.exam_date.isoformat(),
            "days_left": plan.days_left,
            "target": plan.target,
            "below_target": plan.below_target,
            "unseen": plan.unseen,
            "per_day": plan.per_day,
            "realistic_limit": plan.limit,
            "warning": plan.warning(),
        }
        if plan
        else None
    )
    return data


def run(context: Context, args: argparse.Namespace) -> int:
    data = collect(context)
    if args.json:
        say(json.dumps(data, indent=2))
        return 0
    say(
        f"{_count(data['reviews'], 'review')} · streak {_count(data['streak_days'], 'day')} · "
        f"desired retention {data['desired_retention']:.0%}"
        + (" · personal FSRS parameters" if data["personal_parameters"] else "")
    )
    say()
    say(
        f"{'topic':<34}{'seen':>9}{'due':>6}{'mastery':>9}{'accuracy':>10}"
        f"{'retention':>11}{'exam':>7}"
    )
    for t in data["topics"]:
        seen = f"{t['seen']}/{t['total']}"
        say(
            f"{t['title'][:33]:<34}{seen:>9}{t['due']:>6}{_pct(t['mastery']):>9}"
            f"{_pct(t['accuracy']):>10}{_pct(t['retention']):>11}{_pct(t['exam_recall']):>7}"
        )
    say()
    say("last 30 days (answers/day):")
    say("  " + " ".join(str(d["reviews"]) for d in data["reviews_per_day"]))
    today = data["reviews_per_day"][-1]
    say(f"  today {today['reviews']}, of which {today['practice']} practice (schedule unchanged)")
    say("next 30 days (due/day, today first):")
    say("  " + " ".join(str(d["due"]) for d in data["due_forecast"]))
    if data["leeches"]:
        say()
        say(f"leeches ({len(data['leeches'])}):")
        for leech in data["leeches"]:
            say(f"  {leech['question_id']:<40} {leech['topic']:<20} {leech['lapses']} lapses")
    exam = data["exam"]
    if exam:
        say()
        say(
            f"exam {exam['date']}: {exam['days_left']} days left, {exam['below_target']} cards "
            f"below {exam['target']:.0%} and {exam['unseen']} unseen → {exam['per_day']}/day"
        )
        if exam["warning"]:
            say(f"warning: {exam['warning']}")
    say(f"\n{context.db_path}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
