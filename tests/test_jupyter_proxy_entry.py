"""The jupyter-server-proxy entry: found by its entry point, accepted by jupyter-server-proxy."""

from __future__ import annotations

import warnings
from importlib.metadata import entry_points

import pytest

from quizapp.jupyter_proxy import ICON, setup_quizapp


def test_the_entry_runs_quizapp_serve_on_a_socket_of_its_own():
    config = setup_quizapp()
    assert config["command"][-4:] == ["quizapp", "serve", "--socket", "{unix_socket}"]
    assert config["unix_socket"] is True  # a fresh 0700 folder made by jupyter-server-proxy
    assert "port" not in config
    assert ICON.read_text(encoding="utf-8").startswith("<svg")


def test_the_entry_point_is_registered():
    found = {e.name: e.value for e in entry_points(group="jupyter_serverproxy_servers")}
    assert found.get("quizapp") == "quizapp.jupyter_proxy:setup_quizapp"


def test_jupyter_server_proxy_loads_it_with_a_launcher_entry():
    config = pytest.importorskip(
        "jupyter_server_proxy.config", reason="the [hub] extra is not installed"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a rejected entry is only a warning there
        processes = {p.name: p for p in config.get_entrypoint_server_processes()}
    quizapp = processes["quizapp"]
    assert quizapp.unix_socket is True
    assert quizapp.launcher_entry.title == "quizapp"
    assert quizapp.launcher_entry.path_info == "quizapp/"
    assert quizapp.launcher_entry.icon_path == str(ICON)
