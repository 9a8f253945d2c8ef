"""`quizapp worker status|stop`: the background grading service that `quizapp grade` uses."""

from __future__ import annotations

import argparse
import json

from quizapp.commands import Context

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "worker", parents=[common], help="show or stop the background grading service"
    )
    parser.add_argument("action", choices=["status", "stop"])
    parser.add_argument("--json", action="store_true", help="print JSON (status)")
    parser.set_defaults(func=run)


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.service.client import ServiceClient, runtime_dir

    client = ServiceClient()
    if args.action == "stop":
        print(
            "stopped the grading service"
            if client.stop()
            else "the grading service was not running"
        )
        return 0
    status = client.status()
    if args.json:
        print(
            json.dumps(
                {
                    "running": status.running,
                    "current": status.current,
                    "problem": status.problem,
                    "runtime_dir": str(runtime_dir()),
                    **status.detail,
                },
                indent=2,
            )
        )
    else:
        print(status.describe())
    return 1 if status.problem else 0
