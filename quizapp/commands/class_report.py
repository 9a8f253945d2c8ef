"""`quizapp class-report FILES... [--json] [--html OUT]`: what a class gets right and
wrong, from the students' `export-progress --for-class` files."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from quizapp.commands import Context
from quizapp.errors import EXPORT_FILE, FileRoleError, UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "class-report",
        parents=[common],
        help="aggregate students' class exports: hardest questions, wrong answers, weak topics",
    )
    parser.add_argument("files", metavar="FILE", nargs="*", help="class exports of students")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--html", metavar="OUT", help="also write a page with plots to OUT")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.classreport.aggregate import QuestionInfo, build_class_report
    from quizapp.classreport.load import load_students

    if not args.files:
        raise UsageError(
            "which files? students make them with `quizapp export-progress --for-class FILE`"
        )
    students, notes = load_students([expand_path(f) for f in args.files])
    library = context.library

    def describe(question_id: str, kind: str) -> QuestionInfo:
        question = library.questions.get(question_id)
        if question is None:  # a student's own deck, or a question since removed
            topic = question_id.partition(".")[0]
            return QuestionInfo("(not in these decks)", topic, topic, kind)
        return QuestionInfo(
            question.title, question.topic, library.topic_title(question.topic), str(question.kind)
        )

    report = build_class_report(students, describe, notes)
    if args.html:
        from quizapp.classreport.html import render_html

        out = expand_path(args.html)
        try:
            out.write_text(render_html(report), encoding="utf-8")
        except OSError as err:
            raise FileRoleError(EXPORT_FILE, f"cannot write {out}: {err.strerror}") from None
    if args.json:
        print(json.dumps(asdict(report), indent=1, ensure_ascii=False))
    else:
        from quizapp.classreport.text import render_text

        print(render_text(report), end="")
        if args.html:
            print(f"\nWrote {Path(out)}")
    return 0
