"""`quizapp optimize`: fit FSRS parameters to your own scheduled reviews and use them."""

from __future__ import annotations

import argparse
import sys

from quizapp.commands import Context
from quizapp.study import fsrs_fit as personal
from quizapp.study.session import utc_now

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "optimize",
        parents=[common],
        help="fit FSRS to your review history (needs a few hundred spaced reviews)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="forget personal parameters; use the defaults"
    )
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    store = context.store
    if args.reset:
        personal.clear_parameters(store)
        print("Using the default FSRS parameters again.")
        return 0
    result = personal.optimize(
        store, utc_now(), progress=lambda text: print(text, file=sys.stderr, flush=True)
    )
    print(result.message)
    if result.optimized and result.parameters:
        print("parameters: " + ", ".join(f"{p:.4f}" for p in result.parameters))
    return 0 if result.optimized else 1
