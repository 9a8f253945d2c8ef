"""Who may use `quizapp serve`: the token, the Host and Origin checks, the socket's peer.

textual-serve answers anyone who reaches its port, and the app it serves holds the
student's progress and answers in their name. A port on 127.0.0.1 is reachable by every
local user and, through the browser, by every web page the student visits (a page may open
a websocket to any address, and DNS rebinding gives it a name that resolves to
127.0.0.1). So, as Jupyter does:

- On TCP, every request needs the random token printed with the URL: once in the query
  (`?token=...`), after which an HttpOnly, SameSite=Strict cookie carries it, so reloads
  work and the token leaves the address bar. Compared in constant time.
- On TCP, the Host header must name this computer (loopback names, the bound address,
  the host name, the `--public-url` host): a rebound name is refused.
- Everywhere, a request that carries an Origin (browsers send one with every websocket)
  must come from the same origin as its Host: a foreign page cannot drive the app.
- On a Unix socket (`--socket`), the socket file is 0600, so only its owner can connect;
  the server also asks the kernel who connected (SO_PEERCRED) and refuses other users.
  No token: the only client is the owner's own authenticated front end (e.g. Jupyter
  behind JupyterHub), which does the login.
"""

from __future__ import annotations

import hmac
import os
import re
import socket
import struct
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
TOKEN_PARAMETER = "token"
HOST_HEADER = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?"
)
REFUSED_HINT = (
    "quizapp serve: not allowed. Open the full address that `quizapp serve` printed "
    "(it ends in ?token=...)."
)


@dataclass(frozen=True)
class Access:
    """The rules one server enforces. `token=None` means a Unix socket: no token."""

    token: str | None
    cookie_name: str
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    check_host: bool = True
    check_peer_uid: bool = False

    def token_matches(self, supplied: str | None) -> bool:
        if self.token is None or supplied is None:
            return False
        return hmac.compare_digest(supplied.encode("utf-8"), self.token.encode("utf-8"))


def tcp_access(token: str, port: int, extra_hosts: list[str]) -> Access:
    """Rules for a TCP listener: token, Host allow-list, Origin."""
    hosts = set(LOOPBACK_NAMES)
    for name in (socket.gethostname(), socket.getfqdn(), *extra_hosts):
        if name:
            hosts.add(name.strip("[]").lower())
    return Access(
        token=token,
        # Cookies are not separated by port: name it after the port, so two servers on
        # one computer do not overwrite each other's cookie.
        cookie_name=f"quizapp-token-{port}",
        allowed_hosts=frozenset(hosts),
    )


def socket_access() -> Access:
    """Rules for a Unix socket: the file mode and the peer's uid stand for the token."""
    return Access(
        token=None,
        cookie_name="quizapp-token",
        check_host=False,
        check_peer_uid=sys.platform.startswith("linux"),
    )


def peer_uid(request: web.Request) -> int | None:
    """The uid of the process at the other end of a Unix socket (Linux); None on TCP, where
    there is no such thing; -1 when the kernel cannot say (counts as someone else)."""
    transport = request.transport
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None:
        return -1
    if sock.family != socket.AF_UNIX:
        return None
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return -1
    _pid, uid, _gid = struct.unpack("3i", raw)
    return uid


def _refuse(reason: str) -> web.Response:
    # Plain text, and never an echo of what the client sent.
    return web.Response(status=403, text=f"{REFUSED_HINT}\n({reason})\n")


def host_name(header: str) -> str | None:
    """The name in a Host header (`name[:port]`, `[v6][:port]`), lowercased; None when it
    is not plainly that (user info, stray brackets, a port out of range)."""
    match = HOST_HEADER.fullmatch(header)
    if match is None or int(match["port"] or 0) > 65535:
        return None
    return (match["v6"] or match["name"]).lower()


def _same_origin(origin: str, request: web.Request) -> bool:
    """Origin's host[:port] equals the Host header, as Jupyter compares them. The scheme is
    not compared: behind a TLS-terminating proxy the page is https and this hop is http."""
    try:
        parts = urlsplit(origin)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # includes the literal "null" of sandboxed frames and file:// pages
    return parts.netloc.lower() == request.host.lower()


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


def make_guard(access: Access) -> Middleware:
    """aiohttp middleware enforcing `access` on every route (page, websocket, static)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if access.check_peer_uid:
            uid = peer_uid(request)
            if uid is not None and uid != os.geteuid():
                return _refuse("another user's connection")
        if access.check_host and host_name(request.host) not in access.allowed_hosts:
            return _refuse("unknown Host; use --public-url for another name")
        origin = request.headers.get("Origin")
        if origin is not None and not _same_origin(origin, request):
            return _refuse("request from another web site")
        if access.token is None:
            return await handler(request)
        supplied = request.query.get(TOKEN_PARAMETER)
        if supplied is not None:
            if not access.token_matches(supplied):
                return _refuse("wrong token")
            if _is_websocket(request) or request.method != "GET":
                return await handler(request)
            # Trade the token in the address for a cookie, and drop it from the address bar.
            kept = [(k, v) for k, v in request.query.items() if k != TOKEN_PARAMETER]
            clean = request.rel_url.with_query(kept)
            location = str(clean)
            # Only a path of this server: "//host/…" or "/\\host/…" would leave the site.
            if not location.startswith("/") or location[1:2] in ("/", "\\"):
                location = "/" + location.lstrip("/\\")
            response = web.Response(status=303, headers={"Location": location})
            response.set_cookie(
                access.cookie_name,
                access.token,
                httponly=True,
                samesite="Strict",
                path="/",
            )
            return response
        if access.token_matches(request.cookies.get(access.cookie_name)):
            return await handler(request)
        return _refuse("no token")

    return guard
