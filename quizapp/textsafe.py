"""Text from a submission or a user's deck, made safe to show.

Everything a submission prints or raises, and everything a deck says, is hostile when it
reaches a terminal: an escape sequence can write the clipboard (OSC 52), change the
window title, wipe the screen and draw a fake verdict, or move the cursor over the real
one. `visible` turns every control character into a visible stand-in, so the sequence
shows as inert text and does nothing; newlines and tabs are kept. `code_block` and
`inline_code` put such text into Markdown so that nothing in it can close the code and be
read as the app's own words (a fence longer than any run of backticks inside).

Domain-level (no Textual): the CLI's stdout is a `ShownStream` (colours pass, nothing
else), verdicts are rendered through `visible` before rich styles them, the TUI applies it
to every line it draws (`quizapp.tui.safe_lines`), and JSON output keeps the text as it
was (JSON escapes control characters itself).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, TextIO

# C0 controls except tab and newline, DEL, C1 controls; and the bidirectional overrides
# and isolates, which can make text read in another order than it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BACKTICKS = re.compile("`+")
_COLOUR = re.compile(r"(\x1b\[[0-9;:]*m)")  # SGR: colours and bold, what a renderer writes


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␍ for CR …
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control character and escape introducer shown, not obeyed."""
    return _UNSAFE.sub(_stand_in, text)


def visible_but_colour(text: str) -> str:
    """Like `visible`, but colour and bold sequences (SGR) are kept: for output that a
    renderer styled after `visible` was applied to what it was given."""
    parts = _COLOUR.split(text)
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(parts))


def say(text: object = "") -> None:
    """Print one line that holds deck text, with every escape sequence shown: the CLI's
    stdout lets colours through (for the verdicts its renderer styles), which a deck title
    must not use to hide or recolour what follows."""
    print(visible(str(text)))


class ShownStream:
    """A text stream (the CLI's stdout) that shows control characters instead of sending
    them, except colours: whatever a command prints, deck or submission text in it cannot
    drive the terminal. `raw` is the stream underneath, for the app's own deliberate
    sequences (clearing the screen for `--watch`)."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(visible_but_colour(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def raw_stream(stream: TextIO | ShownStream) -> TextIO:
    """The stream under a `ShownStream` (or `stream` itself)."""
    return stream.raw if isinstance(stream, ShownStream) else stream


def is_clean(text: str) -> bool:
    """No character that `visible` would replace."""
    return _UNSAFE.search(text) is None


def _fence_for(text: str, least: int) -> str:
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    return "`" * max(least, longest + 1)


def code_block(text: str) -> str:
    """`text` as a fenced Markdown block that nothing inside can close."""
    fence = _fence_for(text, 3)
    return f"{fence}\n{text}\n{fence}"


def inline_code(text: str) -> str:
    """One line of `text` as a Markdown code span that nothing inside can close (line
    breaks become spaces: a blank line would end the span's paragraph)."""
    flat = " ".join(text.splitlines()) if text else ""
    fence = _fence_for(flat, 1)
    pad = " " if not flat.strip() or flat[0] == "`" or flat[-1] == "`" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
