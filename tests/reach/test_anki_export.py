"""`quizapp export-anki`: the .apkg is opened as Anki would (zip + SQLite) and checked."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from quizapp.cli import main
from quizapp.decks.anki_export import MODEL_ID, deck_id, to_html
from quizapp.decks.content import load_library

DECK = r"""
topic: mine
title: My Notes
questions:
  - id: mine.scaling
    kind: flashcard
    title: Scaling
    prompt: Why divide by $\sqrt{d_k}$ in $\frac{QK^T}{\sqrt{d_k}}$?
    back: To keep the variance of $q \cdot k$ near 1.
    explanation: |
      The softmax input would otherwise grow with $d_k$:
      $$\mathrm{Var}(q \cdot k) = d_k$$
    source: "week 3 <notes> & slides"
    tags: [attention, exam prep]
  - id: mine.bert
    kind: choice
    title: BERT
    prompt: Which kind of Transformer is BERT?
    options:
      - text: encoder-only
        correct: true
        why: It stacks encoder blocks.
      - text: decoder-only
    explanation: Masked language modelling needs both directions.
    source: week 4
  - id: mine.positions
    kind: open
    title: Positions
    prompt: Why positional encodings?
    model_answer: Attention is permutation-equivariant.
    rubric: [order is lost without them, they are added to the inputs]
    explanation: Sets have no order.
    source: week 3
  - id: mine.memory
    kind: numeric
    title: Attention memory
    prompt: GB for {{image_size}}x{{image_size}} pixels as tokens?
    solver: vit:attention_memory_bytes
    params: {image_size: 256, patch_size: null, layers: 32, heads: 16, bytes_per_float: 4}
    solver_unit: B
    unit: GB
    explanation: $n^2 \cdot 4 \cdot 16 \cdot 32$ bytes with $n = 256^2$.
    source: sheet 1
"""


def _read_apkg(path: Path) -> tuple[dict[str, dict], dict]:
    """Notes by guid (fields split, tags) and the collection's JSON columns."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "collection.anki2" in names
        data = archive.read("collection.anki2")
    db_file = path.with_suffix(".anki2")
    db_file.write_bytes(data)
    with sqlite3.connect(db_file) as db:
        notes = {
            guid: {"fields": flds.split("\x1f"), "tags": tags.split(), "mid": mid}
            for guid, flds, tags, mid in db.execute("SELECT guid, flds, tags, mid FROM notes")
        }
        models, decks = db.execute("SELECT models, decks FROM col").fetchone()
        cards = db.execute("SELECT count(*) FROM cards").fetchone()[0]
    return notes, {"models": json.loads(models), "decks": json.loads(decks), "cards": cards}


@pytest.fixture
def my_decks(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "mine.yaml").write_text(DECK, encoding="utf-8")
    return decks


def test_export_writes_one_note_per_question_with_sides_tags_and_math(tmp_path, my_decks, capsys):
    out = tmp_path / "mine.apkg"
    assert main(["--content", str(my_decks), "export-anki", str(out), "--topic", "mine"]) == 0
    assert "Wrote 4 notes in 1 decks" in capsys.readouterr().out
    notes, col = _read_apkg(out)

    assert set(notes) == {genanki.guid_for(q.id) for q in load_library([my_decks]).by_topic("mine")}
    assert col["cards"] == 4
    assert str(MODEL_ID) in col["models"]
    assert col["decks"][str(deck_id("mine"))]["name"] == "quizapp::My Notes"

    flash = notes[genanki.guid_for("mine.scaling")]
    front, back, source, qid = flash["fields"]
    assert qid == "mine.scaling"
    assert r"\(\sqrt{d_k}\)" in front and r"\(\frac{QK^T}{\sqrt{d_k}}\)" in front
    assert "$" not in front + back
    assert r"\(q \cdot k\)" in back
    assert r"\[\mathrm{Var}(q \cdot k) = d_k\]" in back  # display math, explanation too
    assert source == "week 3 &lt;notes&gt; &amp; slides"
    assert flash["tags"] == ["mine", "attention", "exam_prep"]  # topic first, no spaces

    choice_front, choice_back, *_ = notes[genanki.guid_for("mine.bert")]["fields"]
    assert "encoder-only" in choice_front and "decoder-only" in choice_front
    assert "encoder-only" in choice_back and "It stacks encoder blocks." in choice_back
    assert "decoder-only" not in choice_back

    _, open_back, *_ = notes[genanki.guid_for("mine.positions")]["fields"]
    assert "permutation-equivariant" in open_back
    assert "<li>order is lost without them</li>" in open_back

    numeric_front, numeric_back, *_ = notes[genanki.guid_for("mine.memory")]["fields"]
    assert "256x256 pixels" in numeric_front  # parameters filled in
    assert "8796 GB" in numeric_back  # the solver's worked answer with its unit
    assert r"\(n^2 \cdot 4 \cdot 16 \cdot 32\)" in numeric_back


def test_code_questions_show_the_reference_solution(tmp_path):
    library = load_library()
    code = next(q for q in library.questions.values() if q.kind == "code")
    out = tmp_path / "code.apkg"
    assert main(["export-anki", str(out), "--topic", code.topic]) == 0
    notes, _ = _read_apkg(out)
    front, back, *_ = notes[genanki.guid_for(code.id)]["fields"]
    assert f"def {code.function}" in front  # the stub
    reference_name = code.reference.split(":")[1]
    assert "<pre><code" in back and f"def {reference_name}(" in back
    assert len(notes) == len(library.by_topic(code.topic))


def test_re_export_keeps_note_ids_so_anki_updates_instead_of_duplicating(tmp_path, my_decks):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert main(["--content", str(my_decks), "export-anki", str(first), "--topic", "mine"]) == 0
    deck = my_decks / "mine.yaml"
    deck.write_text(deck.read_text().replace("Why positional", "Why do we need positional"))
    assert main(["--content", str(my_decks), "export-anki", str(second), "--topic", "mine"]) == 0
    notes_a, col_a = _read_apkg(first)
    notes_b, col_b = _read_apkg(second)
    assert set(notes_a) == set(notes_b)
    assert col_a["models"].keys() == col_b["models"].keys()
    assert col_a["decks"].keys() == col_b["decks"].keys()
    guid = genanki.guid_for("mine.positions")
    assert "Why do we need positional" in notes_b[guid]["fields"][0]


def test_whole_library_exports_and_unknown_topics_are_refused(tmp_path, capsys):
    out = tmp_path / "all.apkg"
    assert main(["export-anki", str(out)]) == 0
    notes, _ = _read_apkg(out)
    assert len(notes) == len(load_library().questions)
    assert main(["export-anki", str(tmp_path / "x.apkg"), "--topic", "astrology"]) == 2
    assert "topics are:" in capsys.readouterr().err
    assert main(["export-anki", str(tmp_path / "x.zip")]) == 2


def test_markdown_becomes_html_without_touching_math_or_code():
    html = to_html("Use *softmax* on $a_i * b_i$ and `x_$1$`\n\n```\n$not math$\n```")
    assert "<em>softmax</em>" in html
    assert r"\(a_i * b_i\)" in html
    assert "<code>x_$1$</code>" in html
    assert "$not math$" in html
    assert to_html("$x < y$") == r"<p>\(x &lt; y\)</p>"
