"""`quizapp stub ID [-o FILE]`: a code question's starting file, to work on in an editor.

The task is the file's docstring (math as Unicode, as the app shows it), followed by the
stub the app's editor starts from, so `quizapp grade ID FILE --watch` can check it as is.
"""

from __future__ import annotations

import argparse
import sys

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers
    from quizapp.decks.content import Question


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stub", parents=[common], help="write a code question's starting file for your editor"
    )
    parser.add_argument("question_id", metavar="QUESTION_ID")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: print)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.kinds import handler

    question = context.library.questions.get(args.question_id)
    if question is None:
        raise UsageError(f"unknown question id {args.question_id!r}; `quizapp list` shows them")
    if handler(question.kind).stub(question) is None:
        raise UsageError(
            f"{question.id} is a {question.kind} question; only code questions have a stub"
        )
    if not args.output:
        sys.stdout.write(stub_file(question, "FILE"))
        return 0
    path = expand_path(args.output)
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it")
    try:
        path.write_text(stub_file(question, str(path)), encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror}") from None
    print(f"wrote {path}; check it on every save with: quizapp grade {question.id} {path} --watch")
    return 0


def stub_file(question: Question, file_name: str) -> str:
    """The task as a module docstring, then the stub."""
    from quizapp.decks.mathtext import to_unicode
    from quizapp.kinds import handler

    task = to_unicode(question.prompt, markdown=False).strip()
    text = (
        f"{question.title} ({question.id})\n\n{task}\n\n"
        f"Check:               quizapp grade {question.id} {file_name}\n"
        f"Check on every save: quizapp grade {question.id} {file_name} --watch\n"
    )
    docstring = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    stub = handler(question.kind).stub(question) or ""
    return f'"""{docstring}"""\n\n{stub.strip()}\n'
