"""The `quizapp` command: the TUI by default, plus scriptable subcommands.

Errors are printed as one line (never a traceback): exit 1 for problems, 2 for usage.
Set QUIZAPP_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import sys

from quizapp import locations
from quizapp.commands import COMMAND_MODULES, Context, load_command, module_for
from quizapp.errors import QuizappError, UsageError
from quizapp.textsafe import ShownStream, visible


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="progress database (default: $QUIZAPP_DB or your user data directory)",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        default=default,
        help="also load the decks in DIR (repeatable; also $QUIZAPP_CONTENT)",
    )


def _command_in(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (skipping the global options and their values)."""
    tokens = iter(argv)
    for token in tokens:
        if token in ("--db", "--content"):
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """With `argv`, only the named subcommand's module is imported (start-up time);
    help, errors and unknown names see them all."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Exam prep for attention, Transformers, ViT, contrastive learning and CLIP. "
        "Without a command, opens the study app.",
    )
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = module_for(_command_in(argv) or "") if argv is not None else None
    for name in [wanted] if wanted else COMMAND_MODULES:
        load_command(name).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
        # Other programs of the same user (a submission among them, were it ever to get
        # out) must not read this process's memory or its pipes through /proc.
        from quizapp.grading.linux import make_undumpable

        make_undumpable()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    context = Context(args)
    shown = sys.stdout
    try:
        if args.command is None:
            from quizapp.commands.study import run_tui

            return run_tui(context)
        sys.stdout = ShownStream(shown)  # deck and submission text shown, not obeyed
        return int(args.func(context, args) or 0)
    except UsageError as err:
        print(f"quizapp: {visible(err.message)}", file=sys.stderr)
        return 2
    except QuizappError as err:
        print(f"quizapp: {err.title.lower()}: {visible(err.message)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("quizapp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # the last line of defence: one line, not a traceback
        if locations.debug_enabled():
            import traceback

            traceback.print_exc()
        print(
            f"quizapp: unexpected error: {type(err).__name__}: {visible(str(err))} "
            "(set QUIZAPP_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
    finally:
        if isinstance(sys.stdout, ShownStream):
            sys.stdout = shown
        context.close()


if __name__ == "__main__":
    sys.exit(main())
