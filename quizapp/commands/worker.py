"""`quizapp worker status|stop`: the background grading service that `quizapp grade` uses."""

from __future__ import annotations

import json

from quizapp.commands import Context


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "worker", parents=[common], help="show or stop the background grading service"
    )
    parser.add_argument("action", choices=["status", "stop"])
    parser.add_argument("--json", action="store_true", help="print JSON (status)")
    parser.set_defaults(func=run)


def run(context: Context, args) -> int:
    from quizapp.grading.client import ServiceClient, runtime_dir

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
        print(describe(status, runtime_dir()))
    return 1 if status.problem else 0


def describe(status, directory) -> str:
    """One line for `worker status` and `doctor`."""
    if status.problem:
        return f"unavailable: {status.problem} (checks run in the quizapp process instead)"
    if not status.running:
        return f"not running (starts with the next `quizapp grade`; socket in {directory})"
    d = status.detail
    idle = float(d.get("idle_exit_s", 0))
    line = (
        f"running, pid {d.get('pid')}, {d.get('checks', 0)} checks, "
        f"exits after {_minutes(idle)} idle (idle for {_minutes(float(d.get('idle_for_s', 0)))})"
    )
    if not status.current:
        line += "; from another quizapp version, replaced on the next check"
    return line


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"
