"""`quizapp serve`: the same study app in a web browser, through textual-serve.

Every browser tab starts its own `python -m quizapp` process with the same database and
decks, so progress made in the browser is the progress the terminal app sees. Who may
connect is decided in `serve_guard` (a token on TCP; the file mode on a Unix socket).
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import secrets
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "serve",
        parents=[common],
        help="open the study app in a web browser",
        description="Serve the study app over HTTP, on this computer only unless --host says "
        "otherwise. The printed address holds a random token: only a browser that opened it "
        "can use the app. With --socket, it listens on a Unix socket that only you can open, "
        "for a proxy in front (e.g. JupyterHub) that does the login.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port, 0 for a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--socket",
        metavar="PATH",
        help="listen on this Unix socket (mode 0600, no token) instead of a port",
    )
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


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run(context: Context, args: argparse.Namespace) -> int:
    from quizapp.commands.serve_guard import socket_access, tcp_access
    from quizapp.commands.serve_server import GuardedServer, tcp_listener, unix_listener

    # QUIZAPP_CONTENT reaches the child through the environment; pass only --content.
    command = app_command(context.db_path, getattr(args, "content", None) or [])
    socket_path = Path(args.socket).expanduser() if args.socket else None
    if socket_path is not None:
        listener = unix_listener(socket_path)
        access = socket_access()
        print(
            f"quizapp listening on the Unix socket {socket_path} (only you can open it; "
            "ctrl+c stops the server)",
            flush=True,
        )
    else:
        if not 0 <= args.port < 65536:
            raise UsageError(f"--port {args.port}: use a number between 0 and 65535")
        if not is_loopback(args.host):
            print(
                f"warning: serving on {args.host}: other computers can reach port {args.port}. "
                "They still need the token, but plain http is not encrypted, so anyone on "
                "the way can read it. Prefer 127.0.0.1 with an SSH tunnel, or --socket "
                "behind a proxy with TLS.",
                file=sys.stderr,
            )
        listener = tcp_listener(args.host, args.port)
        port = listener.getsockname()[1]
        token = secrets.token_urlsafe(32)
        extra_hosts = [args.host]
        if args.public_url:
            extra_hosts.append(urlsplit(args.public_url).hostname or "")
        access = tcp_access(token, port, extra_hosts)
        base = (args.public_url or f"http://{_bracketed(args.host)}:{port}").rstrip("/")
        print(f"quizapp in your browser: {base}/?token={token}", flush=True)
        print("(the token is your password: do not share the address; ctrl+c stops)", flush=True)
    server = GuardedServer(
        command, access=access, listener=listener, public_url=args.public_url, title="quizapp"
    )
    try:
        server.serve()
    finally:
        listener.close()
        if socket_path is not None:
            with contextlib.suppress(OSError):
                socket_path.absolute().unlink()
    return 0
