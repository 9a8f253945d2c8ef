"""A small Chrome DevTools Protocol client for driving headless Chromium in tests.

Only what the browser test needs: launch, call methods, collect events, read what the
page's terminal websocket receives, type keys, take a screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import aiohttp

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=1280,800",
]
_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
KEYS = {
    " ": ("Space", 32),
    "r": ("KeyR", 82),
    "3": ("Digit3", 51),
}


def launch_chromium(binary: str, profile: Path, timeout: float = 30.0):
    """Start Chromium in its own process group; returns (process, debugging port)."""
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_file.exists():
            first = port_file.read_text().splitlines()[:1]
            if first and first[0].isdigit():
                return process, int(first[0])
        if process.poll() is not None:
            break
        time.sleep(0.1)
    stop_group(process)
    raise RuntimeError("Chromium did not open its DevTools port")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and its children."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Page:
    """One browser tab over the DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self.terminal_bytes = bytearray()
        self._listener = asyncio.ensure_future(self._listen())

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, port: int) -> Page:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t.get("type") == "page")
        ws = await session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        return cls(ws)

    async def call(self, method: str, **params) -> dict:
        message_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[message_id] = future
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 30)

    async def _listen(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = message.json()
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future and not future.done():
                    if "error" in data:
                        future.set_exception(RuntimeError(str(data["error"])))
                    else:
                        future.set_result(data.get("result", {}))
            elif data.get("method") == "Network.webSocketFrameReceived":
                self._terminal_frame(data["params"]["response"])

    def _terminal_frame(self, response: dict) -> None:
        payload = response.get("payloadData", "")
        if response.get("opcode") == 2:
            self.terminal_bytes += base64.b64decode(payload)

    def terminal_text(self) -> str:
        """Everything the app has drawn so far, escape sequences removed."""
        return _ANSI.sub(b"", bytes(self.terminal_bytes)).decode("utf-8", "replace")

    async def wait_for_text(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        start = len(self.terminal_bytes)
        while time.monotonic() < deadline:
            if text in self.terminal_text():
                return
            await asyncio.sleep(0.1)
        tail = self.terminal_text()[-1500:]
        raise AssertionError(
            f"{text!r} never appeared in the terminal (from byte {start}); last output:\n{tail}"
        )

    async def press(self, key: str) -> None:
        code, vk = KEYS[key]
        common = {"key": key, "code": code, "windowsVirtualKeyCode": vk}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=key, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    async def screenshot(self, path: Path) -> None:
        result = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))

    async def close(self) -> None:
        self._listener.cancel()
        await self.ws.close()
