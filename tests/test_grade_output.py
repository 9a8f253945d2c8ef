"""`quizapp grade` feedback: styled on a terminal, plain text into a pipe, Markdown in JSON."""

from __future__ import annotations

import io
import json
import sys

from quizapp.commands.grade import _report
from quizapp.study.session import Outcome

FEEDBACK = (
    "**Correct!** All 6 test cases match the reference.\n\n"
    "Your function printed:\n\n```\nshape `(2, 3)`\n```\n\n- case 1: `q` has shape (2, 3)"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_piped_output_is_plain_text(capsys):
    assert _report("x.code", Outcome("correct", FEEDBACK), False, recorded=False) == 0
    out = capsys.readouterr().out
    assert out.startswith("✓ Correct! All 6 test cases match the reference.\n")
    assert "**" not in out and "`q`" not in out and "```" not in out
    assert "shape `(2, 3)`" in out  # inside a code block, text is shown as written
    assert "\x1b[" not in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_terminal_output_is_styled_without_markdown_marks(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    _report("x.code", Outcome("correct", FEEDBACK), False, recorded=False)
    out = terminal.getvalue()
    assert "\x1b[1m" in out  # bold
    assert "**" not in out and "`q`" not in out


def test_json_keeps_the_markdown(capsys):
    _report("x.code", Outcome("incorrect", FEEDBACK), True, recorded=False)
    data = json.loads(capsys.readouterr().out)
    assert data["feedback"] == FEEDBACK and data["correct"] is False
