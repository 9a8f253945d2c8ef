"""The app quits once its terminal is gone, instead of spinning on a closed input."""

from __future__ import annotations

import os
import pty
import sys

from quizapp.tui import app as app_module


def test_a_hung_up_terminal_is_noticed(monkeypatch):
    master, slave = pty.openpty()
    with os.fdopen(slave, "r") as stdin:
        monkeypatch.setattr(sys, "__stdin__", stdin)
        assert app_module._terminal_alive()
        os.close(master)  # what closing the terminal window does to the process's input
        assert not app_module._terminal_alive()


def test_no_input_is_no_terminal(monkeypatch):
    monkeypatch.setattr(sys, "__stdin__", None)
    assert not app_module._terminal_alive()
