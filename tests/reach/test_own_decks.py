"""Students' own decks: --content, new-deck, import-csv and the authoring guide."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from quizapp.cli import main
from quizapp.decks.content import COMMON_FIELDS, KINDS, load_library
from quizapp.kinds import handler

ROOT = Path(__file__).resolve().parents[2]


def _only(library, topic):
    return {q.id: q for q in library.by_topic(topic)}


# -- import-csv ---------------------------------------------------------------------------


ROWS = [
    ("What is $\\sqrt{d_k}$ for?", 'Scaling, so "softmax" does not saturate'),
    ("Comma, inside", "Yes, quoted"),
    ("Multi-line\nfront", "Multi-line\nback: with colon"),
    ("Ünïcödé – αβγ", "✓ 日本語"),
    ("- looks like YAML: [1, 2]", "# not a comment"),
]


def _write_csv(path: Path, rows, header=True, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if header:
            writer.writerow(["front", "back"])
        writer.writerows(rows)


def test_csv_round_trip_to_a_deck_that_loads(tmp_path, capsys):
    source = tmp_path / "My Cards.csv"
    _write_csv(source, ROWS)
    decks = tmp_path / "decks"
    decks.mkdir()
    assert main(["import-csv", str(source), "--dir", str(decks)]) == 0
    assert "Wrote 5 flashcards" in capsys.readouterr().out
    deck = decks / "my-cards.yaml"
    library = load_library([decks])
    assert not library.problems
    cards = _only(library, "my-cards")
    assert [(q.prompt, q.back) for q in cards.values()] == ROWS
    assert all(q.kind == "flashcard" for q in cards.values())
    assert "my-cards.what-is-sqrt-d-k-for" in cards
    assert next(iter(cards.values())).source == "My Cards.csv, line 2"
    # The same CSV imported again gives the same ids (progress stays attached).
    first = deck.read_text(encoding="utf-8")
    assert main(["import-csv", str(source), "--dir", str(decks), "--force"]) == 0
    assert deck.read_text(encoding="utf-8") == first


def test_csv_without_header_semicolons_and_custom_topic(tmp_path):
    source = tmp_path / "export.csv"
    _write_csv(source, ROWS[:2], header=False, delimiter=";")
    out = tmp_path / "deck.yaml"
    assert main(["import-csv", str(source), "--topic", "week-3", "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["topic"] == "week-3"
    assert [q["prompt"] for q in data["questions"]] == [ROWS[0][0], ROWS[1][0]]


def test_bad_rows_are_reported_with_line_numbers(tmp_path, capsys):
    source = tmp_path / "cards.csv"
    source.write_text(
        'front,back\nok,fine\nonly one column\n"multi\nline",ok\n,no front\na,b,c\n\nlast,one\n',
        encoding="utf-8",
    )
    assert main(["import-csv", str(source), "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{source}:3: expected 2 columns (front, back), found 1" in out
    assert f"{source}:6: the front is empty" in out
    assert f"{source}:7: expected 2 columns (front, back), found 3" in out
    assert "Wrote 3 flashcards" in out
    lines = [q.source for q in load_library([tmp_path]).by_topic("cards")]
    assert lines == ["cards.csv, line 2", "cards.csv, line 4", "cards.csv, line 9"]


def test_csv_import_never_overwrites_without_force(tmp_path, capsys):
    source = tmp_path / "cards.csv"
    _write_csv(source, ROWS[:1])
    existing = tmp_path / "cards.yaml"
    existing.write_text("mine", encoding="utf-8")
    assert main(["import-csv", str(source), "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "mine"


def test_csv_that_is_not_utf8_is_refused_with_its_line(tmp_path, capsys):
    source = tmp_path / "latin.csv"
    source.write_bytes("front,back\nok,fine\ncaf\xe9,x\n".encode("latin-1"))
    assert main(["import-csv", str(source), "--dir", str(tmp_path)]) == 2
    assert "latin.csv:3: not UTF-8" in capsys.readouterr().err


# -- new-deck -----------------------------------------------------------------------------


def test_new_deck_template_loads_with_one_example_per_simple_kind(tmp_path, capsys):
    assert main(["new-deck", "My Notes", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "my-notes.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("# ") > 10  # commented
    library = load_library([tmp_path])
    assert not library.problems
    kinds = sorted(q.kind for q in library.by_topic("my-notes"))
    assert kinds == ["choice", "flashcard", "open"]
    assert library.topic_title("my-notes") == "My Notes"
    assert main(["new-deck", "My Notes", "--dir", str(tmp_path)]) == 2  # no overwrite


def test_new_deck_numeric_example_works_once_uncommented(tmp_path):
    assert main(["new-deck", "notes", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "notes.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("  # - id: notes.patches")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  #"))
    lines[start:end] = [line.replace("  # ", "  ", 1) for line in lines[start:end]]
    path.write_text("\n".join(lines), encoding="utf-8")
    library = load_library([tmp_path])
    assert not library.problems
    assert library.questions["notes.patches"].solver == "vit:patch_count"


def test_content_option_adds_decks_next_to_the_bundled_ones(tmp_path, capsys):
    assert main(["new-deck", "extra", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["--content", str(tmp_path), "list", "--topic", "extra"]) == 0
    assert "3 questions" in capsys.readouterr().out
    assert main(["--content", str(tmp_path), "list", "--topic", "vit"]) == 0


# -- the authoring guide ------------------------------------------------------------------


def test_authoring_guide_names_every_kind_and_field_with_an_example():
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"### {kind}" in guide
    fields = (COMMON_FIELDS - {"__line__"}).union(*(handler(k).fields for k in KINDS))
    yaml_blocks = "\n".join(re.findall(r"```yaml\n(.*?)```", guide, re.S))
    for name in fields:
        assert re.search(rf"^\s*-?\s*{name}:", yaml_blocks, re.M), f"no example of '{name}'"
