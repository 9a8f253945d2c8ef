"""`quizapp plan`: the exam plan day by day (minutes, topics, mock exams, forecast)."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context
from quizapp.study import exam_forecast, insights
from quizapp.study.exam_forecast import Forecast
from quizapp.study.scheduler import Planner
from quizapp.study.session import utc_now
from quizapp.study.stats import local_day
from quizapp.textsafe import say

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "plan", parents=[common], help="show the plan to the exam day by day, with the forecast"
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--minutes", type=int, help="plan with this many minutes a day (not saved)")
    parser.set_defaults(func=run)


def plan_json(plan: Forecast, alternative: Forecast | None) -> dict:
    return {
        "exam_date": plan.exam_day.isoformat(),
        "minutes_per_day": plan.minutes,
        "minutes_left_today": round(plan.budget_left_today_s / 60, 1),
        "recall_now": round(plan.recall_now, 4),
        "recall": round(plan.recall, 4),
        "recall_unweighted": round(plan.recall_unweighted, 4),
        "alternative": None
        if alternative is None
        else {"minutes_per_day": alternative.minutes, "recall": round(alternative.recall, 4)},
        "days": [
            {
                "date": d.day.isoformat(),
                "minutes": round(d.minutes, 1),
                "reviews": d.reviews,
                "new": d.new,
                "topics": list(d.topics),
                "mock_exam": d.mock,
                "final_pass": d.final_pass,
                "recall": round(d.recall, 4),
            }
            for d in plan.days
        ],
        "today": [] if plan.today is None else list(plan.today.question_ids),
    }


def print_plan(plan: Forecast, alternative: Forecast | None, note: str) -> None:
    say(
        f"Exam {plan.exam_day:%a %d %b %Y}: {plan.days_left} study days left · "
        f"{plan.minutes} min a day"
    )
    extra = (
        f"; with {alternative.minutes} min a day: {alternative.recall:.0%}" if alternative else ""
    )
    say(
        f"Expected on exam day: {plan.recall:.0%}{extra} "
        f"(without more study: {plan.recall_now:.0%})"
    )
    if note:
        say(note)
    say(f"\n{'day':<12}{'min':>5}{'rev':>5}{'new':>5}  {'forecast':>8}  topics")
    for d in plan.days:
        marks = [*(["mock exam"] if d.mock else []), *(["final pass"] if d.final_pass else [])]
        tail = f"  [{', '.join(marks)}]" if marks else ""
        say(
            f"{d.day:%a %d %b}  {d.minutes:>5.0f}{d.reviews:>5}{d.new:>5}  {d.recall:>8.0%}  "
            f"{', '.join(d.topics)}{tail}"
        )
    say(
        "\nMock exams are extra sittings (quizapp mock); the last session is the final pass "
        "the evening before."
    )


def run(context: Context, args: argparse.Namespace) -> int:
    store = context.store
    exam_day = insights.get_exam_date(store)
    if exam_day is None:
        say("No exam date set. Set one with: quizapp exam YYYY-MM-DD --minutes 30")
        return 0
    now = utc_now()
    if exam_day <= local_day(now):
        say(f"The exam date {exam_day} has passed or is today. Set a new one or --clear it.")
        return 0
    data = exam_forecast.inputs(context.library, store, Planner.from_store(store), now, exam_day)
    plan = exam_forecast.forecast(data, args.minutes)
    other = exam_forecast.alternative_minutes(plan.minutes)
    alternative = exam_forecast.forecast(data, other)
    note = "" if args.minutes else exam_forecast.adaptation_note(store, plan, local_day(now))
    if args.json:
        say(json.dumps(plan_json(plan, alternative), indent=1))
    else:
        print_plan(plan, alternative, note)
    return 0
