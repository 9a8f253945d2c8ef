"""Markdown feedback as a terminal shows it (styled), or as plain text for pipes and files.

`quizapp grade` prints verdicts this way, and the grading service renders its verdicts
the same way for the shell that asked (its width and colour settings travel with the
request), so a warm check from the shell never imports rich's Markdown (~75 ms of CPU).
"""

from __future__ import annotations

import os
import shutil
import sys

PLAIN_WIDTH = 100
# What rich reads from the environment to choose colours for a terminal.
TERMINAL_ENV = ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")


class TextStyle:
    """Where the text goes. A plain class: the warm path of `quizapp grade` imports this
    module and skips dataclasses (~25 ms of CPU)."""

    def __init__(
        self, styled: bool, width: int = PLAIN_WIDTH, env: dict[str, str] | None = None
    ) -> None:
        self.styled = styled  # a terminal: colours and bold; else plain, no `**`, no escapes
        self.width = width
        self.env = env or {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextStyle) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"TextStyle({self.to_dict()})"

    @classmethod
    def for_stdout(cls) -> TextStyle:
        if not sys.stdout.isatty():
            return cls(False)
        env = {name: os.environ[name] for name in TERMINAL_ENV if name in os.environ}
        return cls(True, shutil.get_terminal_size().columns, env)

    def to_dict(self) -> dict:
        return {"styled": self.styled, "width": self.width, "env": self.env}

    @classmethod
    def from_dict(cls, data: object) -> TextStyle | None:
        """None unless `data` is a well-formed style (it comes over a socket)."""
        if not isinstance(data, dict):
            return None
        styled, width, env = data.get("styled"), data.get("width"), data.get("env", {})
        if not (
            isinstance(styled, bool)
            and isinstance(width, int)
            and 20 <= width <= 1000
            and isinstance(env, dict)
            and all(k in TERMINAL_ENV and isinstance(v, str) for k, v in env.items())
        ):
            return None
        return cls(styled, width, dict(env))


def verdict_line(correct: bool, message: str) -> str:
    return ("✓ " if correct else "✗ ") + message


def render(text: str, style: TextStyle) -> str:
    """`text` (Markdown) ready to write to the output `style` describes, ending in a newline.

    Control characters in `text` are shown, never sent (`quizapp.textsafe`): verdicts
    carry what a submission printed and deck text, both hostile to a terminal."""
    import io

    from quizapp.textsafe import visible

    text = visible(text)
    from rich.console import Console
    from rich.markdown import Markdown

    if style.styled:
        styled = io.StringIO()
        console = Console(file=styled, force_terminal=True, width=style.width, _environ=style.env)
        console.print(Markdown(text))
        return styled.getvalue()
    buffer = io.StringIO()
    plain = Console(
        file=buffer,
        force_terminal=False,
        force_jupyter=False,  # in a notebook kernel rich would otherwise add colour codes
        no_color=True,
        width=PLAIN_WIDTH,
        highlight=False,
    )
    plain.print(Markdown(text))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines).strip("\n") + "\n"
