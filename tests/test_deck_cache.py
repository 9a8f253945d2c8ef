"""The parsed-deck cache: a second start reads decks without parsing them, and no edit,
damaged cache file or unwritable folder ever shows a student stale or broken questions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import locations
from quizapp.decks import yaml_reader as deck_yaml
from quizapp.decks.content import load_library

from testkit import GOOD_DECKS


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    shutil.copytree(GOOD_DECKS, folder)
    return folder


def _no_parsing(monkeypatch) -> None:
    def refuse(text):
        raise AssertionError("parsed although the deck was cached")

    monkeypatch.setattr(deck_yaml, "parse", refuse)


def test_second_load_uses_the_cache_and_gives_the_same_library(decks, monkeypatch):
    first = load_library([decks], bundled=False)
    assert first.questions and not first.problems
    assert locations.deck_cache_path().is_file()

    _no_parsing(monkeypatch)
    second = load_library([decks], bundled=False)
    assert second.questions == first.questions
    assert second.topic_titles == first.topic_titles


def test_an_edit_is_seen_even_with_the_same_size_and_timestamp(decks):
    deck = next(decks.glob("*.yaml"))
    before = load_library([decks], bundled=False)
    text = deck.read_text()
    stat = deck.stat()
    title = next(q.title for q in before.questions.values() if q.path == deck)
    edited = title[:-1] + ("X" if title[-1] != "X" else "Y")
    deck.write_text(text.replace(title, edited, 1))
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck.stat().st_size == stat.st_size and deck.stat().st_mtime_ns == stat.st_mtime_ns

    after = load_library([decks], bundled=False)
    assert edited in {q.title for q in after.questions.values()}


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal at all \xff\x00", b"\xfb", None],
    ids=["empty", "garbage", "truncated", "wrong-shape"],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(decks, damage):
    import marshal

    expected = load_library([decks], bundled=False, cache=False).questions
    path = locations.deck_cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(marshal.dumps({"key": "not bytes", 3: b"x"}) if damage is None else damage)

    assert load_library([decks], bundled=False).questions == expected
    assert load_library([decks], bundled=False).questions == expected
    assert marshal.loads(path.read_bytes())  # rewritten with the real entries


def test_a_damaged_entry_is_parsed_again(decks):
    import marshal

    expected = load_library([decks], bundled=False).questions
    path = locations.deck_cache_path()
    entries = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({key: b"\xfb" for key in entries}))
    assert load_library([decks], bundled=False).questions == expected


def test_an_unwritable_cache_folder_only_costs_speed(decks, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(blocker))
    library = load_library([decks], bundled=False)
    assert library.questions and not library.problems


def test_problems_are_reported_again_on_a_cached_load(tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "topic: bad\nquestions:\n  - id: bad.one\n    kind: riddle\n    title: t\n"
        "    prompt: p\n    explanation: e\n    source: s\n"
    )
    first = [str(p) for p in load_library([folder], bundled=False).problems]
    second = [str(p) for p in load_library([folder], bundled=False).problems]
    assert first == second and "bad.yaml:3" in first[0]


def test_a_deck_with_a_date_is_not_cached_but_loads(tmp_path, monkeypatch):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "dated.yaml").write_text(
        "topic: dated\nwritten: 2026-11-25\nquestions:\n  - id: dated.one\n    kind: flashcard\n"
        "    title: t\n    prompt: p\n    explanation: e\n    source: s\n    back: b\n"
    )
    assert "dated.one" in load_library([folder], bundled=False).questions
    calls = []
    real_parse = deck_yaml.parse
    monkeypatch.setattr(deck_yaml, "parse", lambda text: calls.append(1) or real_parse(text))
    assert "dated.one" in load_library([folder], bundled=False).questions
    assert calls == [1]


def test_a_cached_start_does_not_import_yaml(decks):
    script = (
        "import sys; from quizapp.decks.content import load_library;"
        f"lib = load_library([{str(decks)!r}], bundled=False);"
        "print(len(lib.questions), 'yaml' in sys.modules)"
    )

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    count, imported = run()
    assert imported == "True" and int(count) > 0
    assert run() == [count, "False"]
