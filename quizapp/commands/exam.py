"""`quizapp exam`: set the exam date and see the plan to reach it."""

from __future__ import annotations

import argparse

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.progress.settings import EXAM_MINUTES
from quizapp.study import exam_forecast, insights
from quizapp.study.scheduler import Planner
from quizapp.study.session import utc_now
from quizapp.study.stats import local_day
from quizapp.textsafe import say

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "exam", parents=[common], help="set the exam date (YYYY-MM-DD) and show the plan"
    )
    parser.add_argument("date", nargs="?", help="the exam date, e.g. 2026-07-14")
    parser.add_argument("--clear", action="store_true", help="forget the exam date")
    parser.add_argument(
        "--minutes",
        type=int,
        help=f"minutes a day to study for it ({EXAM_MINUTES.hint()}, default "
        f"{EXAM_MINUTES.default:.0f})",
    )
    parser.set_defaults(func=run)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def run(context: Context, args: argparse.Namespace) -> int:
    store = context.store
    if args.clear:
        insights.set_exam_date(store, None)
        say("Exam date cleared.")
        return 0
    if args.date:
        today = local_day(utc_now())
        try:
            day = insights.parse_exam_date(args.date, today)
        except ValueError as err:
            raise UsageError(f"exam date: {err} (today is {today:%Y-%m-%d})") from None
        insights.set_exam_date(store, day)
    if args.minutes is not None:
        try:
            minutes = EXAM_MINUTES.parse(str(args.minutes))
        except ValueError as err:
            raise UsageError(f"--minutes: {err}") from None
        exam_forecast.set_exam_minutes(store, int(minutes))
    exam_day = insights.get_exam_date(store)
    if exam_day is None:
        say("No exam date set. Set one with: quizapp exam YYYY-MM-DD")
        return 0
    now = utc_now()
    plan = insights.exam_plan(context.library, store, Planner.from_store(store), now, exam_day)
    if plan.passed:
        say(f"The exam date {exam_day} has passed. Set a new one or --clear it.")
        return 0
    say(
        f"Exam {exam_day:%a %d %b %Y}: {plan.days_left} days left · target recall {plan.target:.0%}"
    )
    say(f"{'topic':<34}{'recall on exam day':>20}{'below target':>14}{'seen':>9}")
    for t in plan.topics:
        say(f"{t.title[:33]:<34}{_pct(t.recall):>20}{t.below_target:>14}{f'{t.seen}/{t.total}':>9}")
    data = exam_forecast.inputs(context.library, store, Planner.from_store(store), now, exam_day)
    forecast = exam_forecast.forecast(data)
    say(
        f"\n{plan.below_target} cards below target and {plan.unseen} not started. "
        f"With {forecast.minutes} min a day the expected recall on exam day is "
        f"{forecast.recall:.0%} (quizapp plan shows the plan day by day)."
    )
    return 0
