"""`quizapp export-anki OUT.apkg`: the decks as an Anki package that re-imports cleanly."""

from __future__ import annotations

import argparse

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export-anki",
        parents=[common],
        help="write the questions to an Anki package (.apkg)",
        description="Write one Anki note per question. Exporting again updates the notes "
        "already in Anki instead of duplicating them.",
    )
    parser.add_argument("out", metavar="OUT.apkg", help="the package to write")
    parser.add_argument("--topic", action="append", default=[], help="only this topic (repeatable)")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.decks.anki_export import export

    out = expand_path(args.out)
    if out.suffix.lower() != ".apkg":
        raise UsageError(f"{args.out}: the file name must end in .apkg so Anki opens it")
    if not out.parent.is_dir():
        raise UsageError(f"Anki package {out}: the folder {out.parent} does not exist")
    if out.exists() and not out.is_file():
        raise UsageError(
            f"Anki package {out} exists and is not a regular file; choose another name"
        )
    library = context.library
    unknown = sorted(set(args.topic) - set(library.topics))
    if unknown:
        raise UsageError(f"no topic {', '.join(unknown)}; topics are: {', '.join(library.topics)}")
    for problem in library.problems:
        print(f"warning: skipped: {problem}")
    report = export(library, out, args.topic)
    for issue in report.problems:
        print(f"warning: {issue}")
    print(f"Wrote {report.notes} notes in {report.decks} decks to {out}")
    return 1 if report.notes == 0 else 0
