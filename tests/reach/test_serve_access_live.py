"""`quizapp serve` as a real process: who gets the page, the app and the socket.

The positive control is plain textual-serve serving the same app command, as `quizapp
serve` did before it had a guard: there a foreign web page's websocket, with no token,
starts the app and receives its screen.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from quizapp.commands.serve import app_command

from procs import child_env
from reach_devtools import stop_group

pytestmark = pytest.mark.slow

FOREIGN = "http://evil.example"
CONTROL = (
    "import sys; from textual_serve.server import Server; "
    "Server(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2])).serve()"
)
# Run as another user with the system Python (no third-party packages needed).
RAW_GET = """
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except PermissionError:
    print("permission-denied")
    sys.exit()
s.sendall(b"GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n")
print(s.makefile("rb").readline().decode().strip())
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=child_env(),
        start_new_session=True,
    )


def _wait_for(predicate, process: subprocess.Popen, log: Path, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    raise AssertionError(f"server not ready:\n{log.read_text()[-2000:]}")


def _printed_url(log: Path) -> str | None:
    for line in log.read_text().splitlines():
        if line.startswith("quizapp in your browser: "):
            return line.split(": ", 1)[1].strip()
    return None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def _ws_says(session: aiohttp.ClientSession, url: str, **headers: str) -> str | int:
    """'app' when the websocket delivered the app's output, else the refusing status."""
    try:
        async with session.ws_connect(url, headers=headers) as ws:
            message = await ws.receive(timeout=60)
            ok = message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
            return "app" if ok else f"closed: {message.type}"
    except aiohttp.WSServerHandshakeError as error:
        return error.status


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[Path, Path]]:
    db, log = tmp_path / "progress.db", tmp_path / "serve.log"
    server = _start([sys.executable, "-m", "quizapp", "--db", str(db), "serve", "--port", "0"], log)
    try:
        yield db, log
    finally:
        stop_group(server)


@pytest.mark.timeout(180)
async def test_plain_textual_serve_lets_a_foreign_page_drive_the_app(tmp_path):
    """Positive control: without the guard, no token and a foreign Origin get the app."""
    port, log = _free_port(), tmp_path / "control.log"
    command = app_command(tmp_path / "progress.db", [])
    control = _start([sys.executable, "-c", CONTROL, command, str(port)], log)
    try:
        _wait_for(lambda: _port_open(port), control, log)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/") as page:
                assert page.status == 200
            ws = f"ws://127.0.0.1:{port}/ws"
            assert await _ws_says(http, ws, Origin=FOREIGN) == "app"
    finally:
        stop_group(control)


@pytest.mark.timeout(180)
async def test_quizapp_serve_needs_the_token_a_local_host_and_its_own_origin(tmp_path):
    log, db = tmp_path / "serve.log", tmp_path / "progress.db"
    server = _start([sys.executable, "-m", "quizapp", "--db", str(db), "serve", "--port", "0"], log)
    try:
        url = _wait_for(lambda: _printed_url(log), server, log)
        base, token = url.split("/?token=")
        assert len(token) >= 40  # secrets.token_urlsafe(32)
        ws = base.replace("http://", "ws://") + "/ws"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(base + "/") as page:
                assert page.status == 403
            assert await _ws_says(http, ws) == 403
            assert await _ws_says(http, ws, Origin=FOREIGN) == 403
            assert await _ws_says(http, f"{ws}?token={token}", Origin=FOREIGN) == 403
            rebound = {"Host": "rebound.evil.example"}
            async with http.get(url, headers=rebound) as page:
                assert page.status == 403
            # Nothing above left a cookie behind; now the student opens the printed URL.
            async with http.get(url) as page:
                assert page.status == 200
                assert str(page.url) == base + "/"  # the token left the address bar
                assert f'data-session-websocket-url="{ws}"' in await page.text()
            assert await _ws_says(http, ws, Origin=base) == "app"
            assert await _ws_says(http, ws, Origin=FOREIGN) == 403  # cookie or not
    finally:
        stop_group(server)
    output = log.read_text()
    assert "Error handling request" not in output  # aiohttp's line for a crash
    assert "Traceback" not in output  # nor when the server stops after sessions ended


@pytest.mark.timeout(120)
async def test_stopping_with_a_tab_open_ends_its_app_cleanly(tmp_path):
    log = tmp_path / "serve.log"
    server = _start(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "p.db"), "serve"]
        + ["--port", "0"],
        log,
    )
    try:
        url = _wait_for(lambda: _printed_url(log), server, log)
        base, token = url.split("/?token=")
        ws = base.replace("http://", "ws://") + f"/ws?token={token}"
        async with aiohttp.ClientSession() as http, http.ws_connect(ws) as open_tab:
            await open_tab.receive(timeout=60)
            stopping = time.monotonic()
            await asyncio.to_thread(stop_group, server)
            assert server.returncode == 0
            assert time.monotonic() - stopping < 9  # the app had 5 s to quit
    finally:
        stop_group(server)
    assert "Traceback" not in log.read_text()


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    """Under /tmp itself, 0711: only the socket's own folder and mode keep others out."""
    outer = Path(tempfile.mkdtemp(prefix="quizapp-serve-test-"))
    outer.chmod(0o711)
    yield outer
    shutil.rmtree(outer, ignore_errors=True)


def _other_user() -> int:
    """uid of the ordinary account `student` (created if missing), as the grading tests do."""
    found = subprocess.run(["id", "-u", "student"], capture_output=True, text=True)
    if found.returncode != 0 and shutil.which("useradd"):
        subprocess.run(["useradd", "-m", "student"], capture_output=True, check=False)
        found = subprocess.run(["id", "-u", "student"], capture_output=True, text=True)
    if found.returncode != 0:
        pytest.skip("no ordinary account `student` and no useradd to create one")
    return int(found.stdout)


def _get_as(uid: int, path: Path) -> str:
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    result = subprocess.run(
        [python, "-I", "-c", RAW_GET, str(path)],
        user=uid,
        group=uid,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.timeout(180)
async def test_the_socket_is_the_owners_alone(socket_dir):
    path = socket_dir / "run" / "quizapp.sock"
    log = socket_dir / "serve.log"
    server = _start(
        [sys.executable, "-m", "quizapp", "--db", str(socket_dir / "p.db"), "serve"]
        + ["--socket", str(path)],
        log,
    )
    try:
        _wait_for(lambda: path.exists(), server, log)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        connector = aiohttp.UnixConnector(path=str(path))
        async with aiohttp.ClientSession(connector=connector) as http:
            async with http.get("http://localhost/") as page:  # the owner: no token
                assert page.status == 200
            assert await _ws_says(http, "ws://localhost/ws", Origin=FOREIGN) == 403
        if os.geteuid() != 0:
            pytest.skip("running a client as another user needs root")
        other = await asyncio.to_thread(_other_user)
        # First wall: the folder (0700) and the socket (0600).
        assert await asyncio.to_thread(_get_as, other, path) == "permission-denied"
        # Positive control and second wall: opened up, the other user does connect, and
        # the server, asking the kernel who is on the other end, refuses them.
        path.parent.chmod(0o711)
        path.chmod(0o666)
        assert (await asyncio.to_thread(_get_as, other, path)).split()[1] == "403"
    finally:
        stop_group(server)
    assert not path.exists()  # removed on exit
