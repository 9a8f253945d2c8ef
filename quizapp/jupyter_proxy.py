"""A quizapp launcher in each student's JupyterLab, through jupyter-server-proxy.

jupyter-server-proxy finds `setup_quizapp` through the `jupyter_serverproxy_servers`
entry point (installed with the `[hub]` extra). It starts `quizapp serve` on a Unix socket
in a fresh folder of its own (0700, made by jupyter-server-proxy) and forwards the
single-user server's authenticated requests to it. quizapp asks no token on a socket:

- the socket is 0600 in a 0700 folder, and quizapp also refuses any peer whose uid is not
  its own (SO_PEERCRED), so no other local user, and no other student, can connect;
- the only process that can is the student's own Jupyter server, which JupyterHub has
  logged in: it checks the hub's login on every request and the Origin of every websocket
  before it forwards anything; quizapp checks the Origin again.

Progress lands where quizapp always keeps it, in the student's own home (or `QUIZAPP_DB`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ICON = Path(__file__).with_name("quizapp-icon.svg")


def setup_quizapp() -> dict[str, Any]:
    """The server-process description jupyter-server-proxy reads."""
    return {
        "command": [sys.executable, "-m", "quizapp", "serve", "--socket", "{unix_socket}"],
        "unix_socket": True,
        "timeout": 60,
        "new_browser_tab": True,
        "launcher_entry": {
            "title": "quizapp",
            "icon_path": str(ICON),
            "category": "Other",
        },
    }
