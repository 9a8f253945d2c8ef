"""Where math is in a Markdown text: `$...$` and `$$...$$` found, code left alone.

Split from the LaTeX rendering so each has one job: this finds the pieces (and never
looks inside fenced or inline code), `mathtext` turns each formula into Unicode.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Segment(NamedTuple):
    """A piece of Markdown: "text", "code", "inline" math or "display" math."""

    kind: str
    text: str


# -- finding math in Markdown ---------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def split_math(text: str) -> list[Segment]:
    """Split Markdown into text, code and math segments (math without its dollar signs)."""
    segments: list[Segment] = []
    for kind, chunk in _split_fences(text):
        if kind == "code":
            segments.append(Segment("code", chunk))
        else:
            segments.extend(_split_inline(chunk))
    merged: list[Segment] = []
    for seg in segments:
        if merged and seg.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Segment("text", merged[-1].text + seg.text)
        elif seg.text or seg.kind in ("inline", "display"):
            merged.append(seg)
    return merged


def _split_fences(text: str) -> list[tuple[str, str]]:
    """Fenced code blocks (``` or ~~~) apart from everything else."""
    out: list[tuple[str, str]] = []
    plain: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            plain.append(lines[i])
            i += 1
            continue
        fence = match.group(1)
        end = i + 1
        while end < len(lines):
            stripped = lines[end].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            end += 1
        if plain:
            out.append(("text", "".join(plain)))
            plain = []
        out.append(("code", "".join(lines[i : end + 1])))
        i = end + 1
    if plain:
        out.append(("text", "".join(plain)))
    return out


def _split_inline(text: str) -> list[Segment]:
    """Inline code spans and `$...$` / `$$...$$` math inside a run of plain Markdown."""
    out: list[Segment] = []
    start = i = 0
    n = len(text)

    def flush(upto: int) -> None:
        if upto > start:
            out.append(Segment("text", text[start:upto]))

    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = _find_backticks(text, i + run, run)
            if close < 0:
                i += run
                continue
            flush(i)
            out.append(Segment("code", text[i : close + run]))
            start = i = close + run
            continue
        if ch == "$":
            found = _find_math(text, i)
            if found:
                kind, body_start, body_end, end = found
                flush(i)
                out.append(Segment(kind, text[body_start:body_end]))
                start = i = end
                continue
        i += 1
    flush(n)
    return out


def _find_backticks(text: str, pos: int, run: int) -> int:
    """Start of the next backtick run of exactly `run` characters, or -1."""
    while True:
        pos = text.find("`" * run, pos)
        if pos < 0:
            return -1
        end = pos + run
        if (pos > 0 and text[pos - 1] == "`") or (end < len(text) and text[end] == "`"):
            pos = end
            while pos < len(text) and text[pos] == "`":
                pos += 1
            continue
        return pos


def _find_math(text: str, i: int) -> tuple[str, int, int, int] | None:
    """Math starting at `text[i] == "$"`: (kind, body start, body end, end) or None."""
    if text.startswith("$$", i):
        close = _scan_to(text, i + 2, "$$")
        if close < 0 or not text[i + 2 : close].strip():
            return None
        return "display", i + 2, close, close + 2
    opening = i + 1
    if opening >= len(text) or text[opening].isspace() or text[opening] == "$":
        return None
    j = opening
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "`" or (ch == "\n" and _BLANK_LINE.match(text, j)):
            return None  # code spans bind tighter than math; paragraphs end it
        if ch == "$":
            after = text[j + 1] if j + 1 < len(text) else ""
            if not text[j - 1].isspace() and not after.isdigit():
                return "inline", opening, j, j + 1
            return None
        j += 1
    return None


def _scan_to(text: str, pos: int, closing: str) -> int:
    while pos < len(text):
        if text[pos] == "\\":
            pos += 2
            continue
        if text.startswith(closing, pos):
            return pos
        pos += 1
    return -1
