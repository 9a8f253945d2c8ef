"""textual-serve's server with the guard of `serve_guard` in front, on a socket we bind.

We bind the listening socket ourselves (TCP or Unix) so that the port is known before the
URL is printed (`--port 0` works) and a Unix socket is created with mode 0600 from the
start, not chmod-ed after a window in which anyone could connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import stat
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from quizapp.commands.serve_guard import Access, make_guard
from quizapp.errors import UsageError

APP_EXIT_GRACE_S = 5.0


class GuardedServer(Server):
    """textual-serve's Server, every route behind `make_guard(access)`."""

    def __init__(
        self,
        command: str,
        *,
        access: Access,
        listener: socket.socket,
        public_url: str | None,
        title: str,
    ) -> None:
        super().__init__(command, title=title, public_url=public_url or "http://localhost")
        self.access = access
        self.listener = listener
        self.explicit_public_url = public_url

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(make_guard(self.access))
        app.on_cleanup.append(self._release_app_processes)
        return app

    async def _release_app_processes(self, app: web.Application) -> None:
        """Close the app processes' pipes while the event loop still runs.

        textual-serve tells a session's app to quit but leaves its process transport to the
        garbage collector; collected after the loop has closed, each prints a traceback when
        the server stops. textual-serve keeps no list of them, so they are found among the
        live objects: given a few seconds to quit, then closed (which ends a straggler).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + APP_EXIT_GRACE_S
        for obj in gc.get_objects():
            if not isinstance(obj, asyncio.SubprocessTransport) or obj.is_closing():
                continue
            while obj.get_returncode() is None and loop.time() < deadline:
                await asyncio.sleep(0.05)
            obj.close()

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: `quizapp serve` prints its own address (with the token)."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with addresses that work however it was reached.

        textual-serve writes absolute addresses from one public URL; opened as `localhost`
        instead of `127.0.0.1`, the websocket would go to another origin without the
        cookie. So: the websocket at the Host the page came from (already checked), and
        behind a proxy that strips a path prefix (no Host check), relative addresses.
        """
        if self.explicit_public_url:
            return await super().handle_index(request)
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        websocket_url = f"ws://{request.host}/ws" if self.access.check_host else "ws"
        context: dict[str, Any] = {
            "font_size": font_size,
            "app_websocket_url": websocket_url,
            "config": {"static": {"url": "static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        web.run_app(
            self._make_app(),
            sock=self.listener,
            print=None,
            access_log=None,  # the address would carry the token into the log
        )


def tcp_listener(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host} port {port}: {error.strerror or error}"
        ) from None
    return sock


def _check_socket_folder(folder: Path) -> None:
    """Only its owner may create or replace files in the socket's folder."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    info = folder.stat()
    if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(
            f"--socket: {folder} must belong to you and be writable only by you; "
            "use a folder of your own (e.g. $XDG_RUNTIME_DIR, or one made with mkdir -m 700)"
        )


def _remove_stale_socket(path: Path) -> None:
    if not path.exists() and not path.is_symlink():
        return
    if path.is_symlink() or not stat.S_ISSOCK(path.lstat().st_mode):
        raise UsageError(f"--socket: {path} exists and is not a socket; choose another path")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # nobody listens: left by a server that was killed
            return
    raise UsageError(f"--socket: {path} is in use by another running server")


def unix_listener(path: Path) -> socket.socket:
    """A listening Unix socket at `path`, mode 0600 from the moment it exists."""
    path = path.absolute()
    _check_socket_folder(path.parent)
    _remove_stale_socket(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)
    try:
        sock.bind(str(path))
    except OSError as error:
        sock.close()
        raise UsageError(f"--socket {path}: {error.strerror or error}") from None
    finally:
        os.umask(previous)  # the app's own processes must not inherit it
    mode = stat.S_IMODE(path.lstat().st_mode)
    if mode != 0o600:
        sock.close()
        with contextlib.suppress(OSError):
            path.unlink()
        raise UsageError(f"--socket {path}: created with mode {mode:o}, expected 600")
    sock.listen(128)
    return sock
