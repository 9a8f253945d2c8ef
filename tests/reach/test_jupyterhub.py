"""A class on a real JupyterHub: two students log in with headless Chromium, each answers a
question in the quizapp launched through jupyter-server-proxy, their progress stays in
their own homes, and neither can open the other's quizapp, through the hub or the socket.

Needs root (LocalProcessSpawner starts each server as the student's account), the `[hub]`
extra, configurable-http-proxy (npm) and Chromium; where one is missing, it skips saying
which. `.ci/run` installs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from fsrs import Rating

from reach_devtools import Page, launch_chromium, stop_group
from serve_kit import DECK, reviews, seed_overdue_card

pytestmark = pytest.mark.slow

STUDENTS = ("quizhub-ann", "quizhub-ben")
PASSWORD = secrets.token_urlsafe(12)
DEPLOY_CONFIG = (
    Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
)
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


def _missing_part() -> str | None:
    if os.geteuid() != 0:
        return "LocalProcessSpawner starts each student's server as their own account: needs root"
    for module in ("jupyterhub", "jupyter_server_proxy"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed: pip install -e '.[hub]'"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy is not on PATH: npm install -g configurable-http-proxy"
    if not shutil.which("useradd"):
        return "useradd is missing: cannot create the two test students"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _make_student(name: str, decks: Path) -> pwd.struct_passwd:
    """A fresh account whose only progress is one card reviewed a month ago."""
    with contextlib.suppress(KeyError):
        pwd.getpwnam(name)
        subprocess.run(["userdel", "-r", name], capture_output=True, check=False)
    subprocess.run(["useradd", "-m", name], capture_output=True, check=True)
    account = pwd.getpwnam(name)
    data = Path(account.pw_dir) / ".local" / "share" / "quizapp"
    data.mkdir(parents=True)
    seed_overdue_card(data / "progress.db", decks)
    subprocess.run(["chown", "-R", f"{name}:{name}", f"{account.pw_dir}/.local"], check=True)
    return account


def _can_run_python(account: pwd.struct_passwd) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import jupyterhub, jupyter_server_proxy, quizapp"],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        capture_output=True,
        cwd="/",
        check=False,
    )
    return probe.returncode == 0


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
    return found


def _hub_config(hub_dir: Path, decks: Path, ports: dict[str, int]) -> Path:
    """The deployed configuration, with this test's ports, files and login on top."""
    config = hub_dir / "jupyterhub_config.py"
    bin_dir = Path(sys.executable).parent
    config.write_text(
        f"load_subconfig({str(DEPLOY_CONFIG)!r})\n"
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{ports['public']}'\n"
        f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{ports['hub']}'\n"
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports['api']}'\n"
        f"c.ConfigurableHTTPProxy.pid_file = {str(hub_dir / 'proxy.pid')!r}\n"
        f"c.JupyterHub.db_url = 'sqlite:///{hub_dir}/jupyterhub.sqlite'\n"
        f"c.JupyterHub.cookie_secret_file = {str(hub_dir / 'cookie_secret')!r}\n"
        "c.JupyterHub.authenticator_class = 'dummy'\n"
        f"c.DummyAuthenticator.password = {PASSWORD!r}\n"
        f"c.Authenticator.allowed_users = {set(STUDENTS)!r}\n"
        f"c.Spawner.cmd = [{str(bin_dir / 'jupyterhub-singleuser')!r}]\n"
        "c.Spawner.default_url = '/quizapp/'\n"  # no JupyterLab needed to reach the launcher's target
        f"c.Spawner.environment = {{'QUIZAPP_CONTENT': {str(decks)!r}}}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def hub(tmp_path) -> Iterator[dict]:
    missing = _missing_part()
    if missing:
        pytest.skip(missing)
    # Under /tmp itself, 0711, so that the students' servers can read the shared decks.
    hub_dir = Path(tempfile.mkdtemp(prefix="quizapp-hub-test-"))
    hub_dir.chmod(0o711)
    decks = hub_dir / "decks"
    decks.mkdir(mode=0o755)
    (decks / "browser.yaml").write_text(DECK, encoding="utf-8")
    (decks / "browser.yaml").chmod(0o644)
    accounts = {name: _make_student(name, decks) for name in STUDENTS}
    if not _can_run_python(accounts[STUDENTS[0]]):
        pytest.skip(f"the test students cannot run {sys.executable} (chmod o+x the folders above)")
    ports = {"public": _free_port(), "hub": _free_port(), "api": _free_port()}
    config = _hub_config(hub_dir, decks, ports)
    env = dict(os.environ)
    env.pop("QUIZAPP_CONTENT", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    log = hub_dir / "hub.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=hub_dir,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{ports['public']}"
    try:
        # Ready when the login page is served, not when the proxy's port opens: until the
        # hub has registered its routes the proxy answers with an error page, which a
        # browser opened then keeps (a loaded machine showed it for over 30 s).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"jupyterhub exited:\n{log.read_text()[-3000:]}")
            if _login_page_served(f"{base}/hub/login"):
                break
            time.sleep(0.3)
        else:
            raise AssertionError(f"jupyterhub did not start:\n{log.read_text()[-3000:]}")
        yield {"base": base, "accounts": accounts, "log": log, "dir": hub_dir}
    finally:
        stop_group(process)  # stops the students' servers (cleanup_servers) and the proxy
        for account in accounts.values():
            for pid in _processes_of(account.pw_uid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError):
            os.kill(int((hub_dir / "proxy.pid").read_text()), signal.SIGTERM)
        uids = {account.pw_uid for account in accounts.values()}
        for leftover in Path(tempfile.gettempdir()).glob("jupyter-server-proxy-*"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_uid in uids:  # jupyter-server-proxy's socket folders
                    shutil.rmtree(leftover)
        shutil.rmtree(hub_dir, ignore_errors=True)
        for name in STUDENTS:
            subprocess.run(["userdel", "-r", name], capture_output=True, check=False)


def _login_page_served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and b"password_input" in response.read()
    except OSError:  # refused, reset, timed out, or an HTTP error from the proxy
        return False


async def _evaluate(page: Page, expression: str):
    result = await page.call(
        "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
    )
    if "exceptionDetails" in result:
        raise RuntimeError(f"in the page: {result['exceptionDetails']}")
    return result.get("result", {}).get("value")


async def _wait_js(page: Page, expression: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(RuntimeError):
            if await _evaluate(page, expression):
                return
        await asyncio.sleep(0.2)
    raise AssertionError(f"never true in the page: {expression}")


async def _log_in_and_answer(page: Page, base: str, name: str) -> None:
    await page.call("Network.enable")
    await page.call("Page.enable")
    await page.call("Page.navigate", url=f"{base}/hub/login")
    await _wait_js(page, "!!document.getElementById('password_input')", timeout=30)
    await _evaluate(
        page,
        f"document.getElementById('username_input').value = {json.dumps(name)};"
        f"document.getElementById('password_input').value = {json.dumps(PASSWORD)};"
        "document.getElementById('login_submit').click(); true",
    )
    # Login, spawn, the hub's OAuth to the server, jupyter-server-proxy starting quizapp.
    await page.wait_for_text("due now", timeout=150)
    await _evaluate(page, "document.querySelector('.xterm-helper-textarea').focus(); true")
    await page.press("r")
    await page.wait_for_text("press space to reveal", timeout=30)
    await page.press(" ")
    await page.wait_for_text("How well did you know it?", timeout=30)
    await page.press("3")
    await page.wait_for_text("Last answer:", timeout=30)


# JupyterLab's own requests carry the server's _xsrf cookie as a header; so do these.
LAUNCHER = """(async () => {{
    const xsrf = {{'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1]}};
    const url = '/user/{name}/server-proxy/servers-info';
    const info = await (await fetch(url, {{headers: xsrf}})).json();
    const entry = info.server_processes.find(s => s.name === 'quizapp').launcher_entry;
    const icon = await fetch(entry.icon_url, {{headers: xsrf}});
    return [entry.title, entry.path_info, icon.status];
}})()"""
FETCH = """fetch({url!r}).then(async r => [r.status, r.url,
    (await r.text()).includes('data-session-websocket-url')])"""
OPEN_WS = """new Promise(done => {{
    const ws = new WebSocket(`ws://${{location.host}}{path}`);
    ws.onopen = () => {{ done('open'); ws.close(); }};
    ws.onerror = () => done('refused');
    setTimeout(() => done('timeout'), 20000);
}})"""


async def _reach(page: Page, name: str) -> tuple[list, str]:
    """What this browser gets from `name`'s quizapp: the page, and its websocket."""
    page_result = await _evaluate(page, FETCH.format(url=f"/user/{name}/quizapp/"))
    websocket = await _evaluate(page, OPEN_WS.format(path=f"/user/{name}/quizapp/ws"))
    return page_result, websocket


def _socket_of(uid: int) -> Path:
    for candidate in Path(tempfile.gettempdir()).glob("jupyter-server-proxy-*/socket"):
        with contextlib.suppress(OSError):
            if candidate.stat().st_uid == uid:
                return candidate
    raise AssertionError(f"no quizapp socket of uid {uid}")


def _get_as(account: pwd.struct_passwd, path: Path) -> str:
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    result = subprocess.run(
        [python, "-I", "-c", RAW_GET, str(path)],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _db(account: pwd.struct_passwd) -> Path:
    return Path(account.pw_dir) / ".local" / "share" / "quizapp" / "progress.db"


@pytest.mark.timeout(600)
async def test_two_students_on_a_jupyterhub_keep_apart(hub, chromium, artifacts_dir, tmp_path):
    started = time.monotonic()
    ann, ben = (hub["accounts"][name] for name in STUDENTS)
    answered = ("browser.scaling", int(Rating.Good), "review")
    for account in (ann, ben):
        assert len(reviews(_db(account))) == 1  # the seeded review only

    browsers, pages = [], {}
    evidence: dict[str, dict] = {}
    try:
        async with aiohttp.ClientSession() as http:
            for account, other in ((ann, ben), (ben, ann)):
                browser, port = launch_chromium(chromium, tmp_path / f"profile-{account.pw_name}")
                browsers.append(browser)
                page = pages[account.pw_name] = await Page.open(http, port)
                await _log_in_and_answer(page, hub["base"], account.pw_name)
                # What JupyterLab's launcher lists, from the student's own server.
                launcher = await _evaluate(page, LAUNCHER.format(name=account.pw_name))
                assert launcher == ["quizapp", "quizapp/", 200], launcher
                await page.screenshot(artifacts_dir / f"hub-{account.pw_name}.png")
                # This answer went into this student's file, and only there.
                assert reviews(_db(account))[-1] == answered
                assert len(reviews(_db(account))) == 2
                assert _db(account).stat().st_uid == account.pw_uid
                assert len(reviews(_db(other))) == (2 if other is ann else 1)
            # Both servers run. Positive control: each browser opens its own quizapp, page
            # and websocket; the other student's, the hub refuses.
            for account, other in ((ann, ben), (ben, ann)):
                page = pages[account.pw_name]
                own_page, own_ws = await _reach(page, account.pw_name)
                their_page, their_ws = await _reach(page, other.pw_name)
                evidence[account.pw_name] = {
                    "own": [own_page, own_ws],
                    "other's": [their_page, their_ws],
                }
                assert own_page[0] == 200 and own_page[2], own_page
                assert own_ws == "open"
                assert their_page[0] == 403 and not their_page[2], their_page
                assert their_ws == "refused"
            for page in pages.values():
                await page.close()
    finally:
        for browser in browsers:
            stop_group(browser)
    (artifacts_dir / "hub-access.json").write_text(json.dumps(evidence, indent=1))

    # On the machine: each socket is its owner's alone.
    ann_socket, ben_socket = _socket_of(ann.pw_uid), _socket_of(ben.pw_uid)
    assert _get_as(ann, ann_socket).split()[1] == "200"  # positive control
    assert _get_as(ann, ben_socket) == "permission-denied"
    assert _get_as(ben, ann_socket) == "permission-denied"
    assert oct(ann_socket.stat().st_mode & 0o777) == "0o600"
    assert time.monotonic() - started < 300, "the hub test should stay within its CI budget"
