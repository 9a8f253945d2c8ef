"""Hostile text made inert before it reaches a notebook or a terminal.

A submission chooses what it prints and what its exceptions say, and that text comes back
in the verdict; a class report shows answers students typed. Escape sequences could
rewrite a terminal, so control characters (ANSI escapes among them) are removed here;
HTML views escape everything as well (`jupyter/result.py`, `classreport/html.py`).
"""

from __future__ import annotations

import re

# CSI / OSC / other ESC sequences first (so their parameters go too), then every other
# C0/C1 control character except newline and tab.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # two-character sequences and a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` without escape sequences, control characters or bidi overrides."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text.replace("\r\n", "\n")))
