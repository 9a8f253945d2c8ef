"""`quizapp serve`: the same study app in a web browser, through textual-serve.

Every browser tab starts its own `python -m quizapp` process with the same database and
decks, so progress made in the browser is the progress the terminal app sees.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "serve",
        parents=[common],
        help="open the study app in a web browser",
        description="Serve the study app over HTTP. It binds to this computer only unless "
        "--host says otherwise; there is no login, so anyone who can reach the port can "
        "study with your progress.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it differs from http://HOST:PORT (e.g. a proxy)",
    )
    parser.set_defaults(func=run)


def app_command(db_path: Path, content_dirs: list[Path]) -> str:
    """The shell command textual-serve runs for each browser session."""
    parts = [sys.executable, "-m", "quizapp", "--db", str(Path(db_path).resolve())]
    for directory in content_dirs:
        parts += ["--content", str(expand_path(str(directory)).resolve())]
    return shlex.join(parts)


def run(context: Context, args) -> int:
    from textual_serve.server import Server

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: use a number between 1 and 65535")
    # QUIZAPP_CONTENT reaches the child through the environment; pass only --content.
    command = app_command(context.db_path, getattr(args, "content", None) or [])
    host = args.host
    url = args.public_url or f"http://{'[' + host + ']' if ':' in host else host}:{args.port}"
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: anyone who can reach port {args.port} can use "
            "this app and your progress (there is no login)."
        )
    print(f"quizapp in your browser: {url}  (ctrl+c stops the server)", flush=True)
    server = Server(command, host=host, port=args.port, title="quizapp", public_url=url)
    server.serve()
    return 0
