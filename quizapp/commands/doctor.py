"""`quizapp doctor`: versions, sandbox, database, decks, grading service and terminal, in a
form to paste into a bug report. Exit 1 with one line per problem, else 0."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "doctor", parents=[common], help="check the installation (what to paste into a bug report)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.diagnostics import collect

    findings = collect(context.db_path, context.content_dirs)
    problems = [p for f in findings for p in f.problems]
    if args.json:
        report = {f.label: {"value": f.value, "problems": f.problems} for f in findings}
        print(json.dumps({"checks": report, "problems": problems}, indent=2))
        return 1 if problems else 0
    width = max(len(f.label) for f in findings) + 2
    for finding in findings:
        print(f"{finding.label:<{width}}{finding.value}")
    print()
    if not problems:
        print("No problems found.")
        return 0
    print(f"{len(problems)} problem{'s' if len(problems) > 1 else ''}:")
    for problem in problems:
        print(f"  ✗ {problem}")
    return 1
