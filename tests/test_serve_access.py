"""Who can use `quizapp serve`: the token, Host and Origin checks, and the Unix socket.

Each refusal is shown next to its positive control: the same request succeeds against the
same handlers without the guard (or against plain textual-serve), so a test cannot pass
because the request was broken.
"""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.commands.serve import is_loopback
from quizapp.commands.serve_guard import (
    Access,
    host_name,
    make_guard,
    socket_access,
    tcp_access,
)
from quizapp.commands.serve_server import unix_listener
from quizapp.errors import UsageError

TOKEN = "s3cret-token-for-tests"
FOREIGN = "http://evil.example"


async def _page(request: web.Request) -> web.Response:
    return web.Response(text="the app page")


async def _websocket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("app output")
    await ws.close()
    return ws


def _app(access: Access | None) -> web.Application:
    app = web.Application(middlewares=[make_guard(access)] if access else [])
    app.add_routes([web.get("/", _page), web.get("/ws", _websocket)])
    return app


async def _client(access: Access | None) -> TestClient:
    client = TestClient(TestServer(_app(access), host="127.0.0.1"))
    await client.start_server()
    return client


async def _ws_says(client: TestClient, url: str = "/ws", **headers: str) -> str | int:
    """What the websocket sends first, or the HTTP status that refused the handshake."""
    try:
        async with client.ws_connect(url, headers=headers) as ws:
            return (await ws.receive(timeout=5)).data
    except aiohttp.WSServerHandshakeError as error:
        return error.status


async def _raw_location(port: int, target: str) -> str:
    """The Location of a GET sent as written (clients would read "//host" as a host)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    writer.close()
    found = [line.split(":", 1)[1].strip() for line in head.split("\r\n")
             if line.lower().startswith("location:")]  # fmt: skip
    return found[0] if found else ""


def _access(client: TestClient) -> Access:
    return tcp_access(TOKEN, client.port or 0, [])


async def test_without_the_guard_anyone_gets_the_page_and_the_websocket():
    """Positive control: what textual-serve alone does, and what every refusal below stops."""
    client = await _client(None)
    try:
        assert (await client.get("/")).status == 200
        assert await _ws_says(client, Origin=FOREIGN) == "app output"
        assert (await client.get("/", headers={"Host": "rebound.evil.example"})).status == 200
    finally:
        await client.close()


async def test_page_and_websocket_refuse_a_client_without_the_token():
    client = await _client(tcp_access(TOKEN, 0, []))
    try:
        response = await client.get("/")
        assert response.status == 403
        assert "?token=" in await response.text()
        assert await _ws_says(client) == 403
        assert (await client.get("/?token=wrong")).status == 403
        assert await _ws_says(client, "/ws?token=wrong") == 403
        assert (await client.get("/static/js/textual.js")).status == 403
    finally:
        await client.close()


async def test_the_token_is_traded_for_a_strict_httponly_cookie():
    client = await _client(tcp_access(TOKEN, 0, []))
    try:
        response = await client.get(f"/?token={TOKEN}&fontsize=12", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/?fontsize=12"  # token gone from the address
        cookie = response.cookies["quizapp-token-0"]
        assert cookie.value == TOKEN
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        # The client keeps the cookie: reloads and the websocket need no token in the URL.
        page = await client.get("/")
        assert (page.status, await page.text()) == (200, "the app page")
        here = f"http://127.0.0.1:{client.port}"
        assert await _ws_says(client, Origin=here) == "app output"
        assert await _ws_says(client) == "app output"  # no Origin: not a browser
        # The hand-off never sends the browser to another site ("//evil" is a host).
        for path in ("//evil.example/x", "/\\evil.example/x"):
            location = await _raw_location(client.port or 0, f"{path}?token={TOKEN}")
            assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
    finally:
        await client.close()


async def test_a_foreign_origin_is_refused_even_with_the_cookie_and_the_token():
    client = await _client(tcp_access(TOKEN, 0, []))
    try:
        await client.get(f"/?token={TOKEN}")
        assert await _ws_says(client, Origin=FOREIGN) == 403
        assert await _ws_says(client, f"/ws?token={TOKEN}", Origin=FOREIGN) == 403
        assert await _ws_says(client, Origin="null") == 403
        other_port = f"http://127.0.0.1:{(client.port or 0) + 1}"
        assert await _ws_says(client, Origin=other_port) == 403
    finally:
        await client.close()


async def test_a_rebound_host_name_is_refused_even_with_the_token():
    client = await _client(tcp_access(TOKEN, 0, []))
    try:
        rebound = {"Host": "rebound.evil.example"}
        assert (await client.get(f"/?token={TOKEN}", headers=rebound)).status == 403
        assert (await client.get(f"/?token={TOKEN}", headers={"Host": "localhost"})).status == 200
    finally:
        await client.close()


async def test_on_a_socket_no_token_is_asked_but_the_origin_still_is():
    client = await _client(socket_access())
    try:
        assert (await client.get("/", headers={"Host": "hub.example.org"})).status == 200
        same = {"Host": "hub.example.org", "Origin": "https://hub.example.org"}
        assert await _ws_says(client, **same) == "app output"
        assert await _ws_says(client, Host="hub.example.org", Origin=FOREIGN) == 403
    finally:
        await client.close()


def test_token_comparison_needs_the_exact_token():
    access = tcp_access(TOKEN, 8000, [])
    assert access.token_matches(TOKEN)
    assert not access.token_matches(TOKEN[:-1])
    assert not access.token_matches(TOKEN + "x")
    assert not access.token_matches(None)
    assert not socket_access().token_matches("")


def test_host_headers_are_read_strictly():
    assert host_name("127.0.0.1:8000") == "127.0.0.1"
    assert host_name("LocalHost") == "localhost"
    assert host_name("[::1]:8000") == "::1"
    for odd in ("evil.example@127.0.0.1", "[::1", "127.0.0.1:99999", "", "a b", "x:y:z"):
        assert host_name(odd) is None, odd


def test_loopback_addresses():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.1", "example.org"))


@pytest.fixture
def private_dir():
    """A folder under /tmp itself (0711 above, so only the modes we set keep others out)."""
    outer = Path(tempfile.mkdtemp(prefix="quizapp-serve-test-"))
    outer.chmod(0o711)
    yield outer
    subprocess.run(["rm", "-rf", str(outer)], check=False)


def test_the_socket_is_0600_in_a_folder_of_the_owner(private_dir):
    path = private_dir / "run" / "quizapp.sock"
    listener = unix_listener(path)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # created private
        assert os.umask(0o022) == 0o022  # restored for the app's own processes
    finally:
        listener.close()
    # Left behind by a killed server: replaced. A file that is not a socket: refused.
    listener = unix_listener(path)
    listener.close()
    path.unlink()
    path.write_text("not a socket")
    with pytest.raises(UsageError, match="not a socket"):
        unix_listener(path)


def test_a_socket_in_a_folder_others_can_write_is_refused(private_dir):
    shared = private_dir / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(UsageError, match="writable only by you"):
        unix_listener(shared / "quizapp.sock")
    assert not (shared / "quizapp.sock").exists()


def test_a_running_servers_socket_is_not_taken_over(private_dir):
    path = private_dir / "quizapp.sock"
    listener = unix_listener(path)
    try:
        with pytest.raises(UsageError, match="in use"):
            unix_listener(path)
    finally:
        listener.close()


@pytest.mark.slow
def test_binding_beyond_this_computer_warns(tmp_path):
    # 192.0.2.1 is a documentation address: the warning comes first, then the bind fails,
    # so nothing is ever reachable from outside during the test.
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "p.db"), "serve"]
        + ["--host", "192.0.2.1", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "warning: serving on 192.0.2.1: other computers can reach" in result.stderr
    assert "cannot listen on 192.0.2.1" in result.stderr
    assert "Traceback" not in result.stderr


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    host=st.one_of(HEADER_TEXT, st.sampled_from(["127.0.0.1:8000", "localhost", "[::1]:1"])),
    origin=st.one_of(st.none(), HEADER_TEXT, st.just("http://127.0.0.1:8000")),
    query=st.one_of(st.none(), HEADER_TEXT, st.just(TOKEN)),
    cookie=st.one_of(st.none(), HEADER_TEXT, st.just(TOKEN)),
)
def test_no_request_gets_through_without_the_token_or_crashes_the_guard(
    host, origin, query, cookie
):
    access = tcp_access(TOKEN, 8000, [])
    headers = {"Host": host}
    if origin is not None:
        headers["Origin"] = origin
    if cookie is not None:
        headers["Cookie"] = f"{access.cookie_name}={cookie}"
    path = "/" if query is None else "/?" + urlencode({"token": query})
    request = make_mocked_request("GET", path, headers=headers)

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="the app page")

    response = asyncio.run(make_guard(access)(request, page))
    if response.status != 403:
        assert query == TOKEN or (query is None and cookie == TOKEN)
        assert host_name(host) in access.allowed_hosts
        assert origin is None or origin == f"http://{host}"
        assert response.status in (200, 303)
