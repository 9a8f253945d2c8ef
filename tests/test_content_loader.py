"""Deck loading: every malformed deck gets a precise file:line: id: message; good decks still load."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quizapp.decks.checker import check_library
from quizapp.decks.content import load_library

from testkit import GOOD_DECKS

GOOD_FLASHCARD = """\
topic: extra
questions:
  - id: extra.card
    kind: flashcard
    title: A card
    prompt: Front
    back: Back
    explanation: Why
    source: test
"""

NUMERIC = """\
topic: bad
questions:
  - id: bad.memory
    kind: numeric
    title: Memory
    prompt: How much?
    explanation: Because.
    source: test
    solver: {solver}
    params: {params}
    unit: GB
    solver_unit: B
"""

MALFORMED = {
    "bad YAML syntax": (
        "topic: bad\nquestions:\n  - id: bad.one\n    title: a: b\n    kind: flashcard\n",
        4,
        "",
        "invalid YAML",
    ),
    "missing field": (
        GOOD_FLASHCARD.replace("extra", "bad").replace("    back: Back\n", ""),
        3,
        "bad.card",
        "missing field 'back'",
    ),
    "unknown kind": (
        GOOD_FLASHCARD.replace("extra", "bad").replace("kind: flashcard", "kind: essay"),
        3,
        "bad.card",
        "unknown kind 'essay'",
    ),
    "wrong type": (
        GOOD_FLASHCARD.replace("extra", "bad").replace("prompt: Front", "prompt: {a: 1}"),
        3,
        "bad.card",
        "'prompt' must be text",
    ),
    "duplicate id": (
        GOOD_FLASHCARD.replace("extra", "bad")
        + textwrap.indent(GOOD_FLASHCARD.split("questions:\n")[1].replace("extra", "bad"), ""),
        10,
        "bad.card",
        "duplicate id; first defined at",
    ),
    "unknown solver": (
        NUMERIC.format(solver="vit:no_such_function", params="{}"),
        3,
        "bad.memory",
        "solvers/vit.py has no function 'no_such_function'",
    ),
    "solver outside solvers/": (
        NUMERIC.format(solver="os:system", params="{}"),
        3,
        "bad.memory",
        "there is no solvers/os.py",
    ),
    "empty file": ("", 1, "", "file is empty"),
    "id of another topic": (
        GOOD_FLASHCARD.replace("topic: extra", "topic: bad"),
        3,
        "extra.card",
        "id must start with the deck's topic 'bad.'",
    ),
    "choice without a right option": (
        "topic: bad\nquestions:\n  - id: bad.pick\n    kind: choice\n    title: t\n    prompt: p\n"
        "    explanation: e\n    source: s\n    options:\n      - text: a\n      - text: b\n",
        3,
        "bad.pick",
        "no option is marked 'correct: true'",
    ),
    "python object tag": (
        "topic: bad\nquestions: !!python/object/apply:os.system ['echo hacked']\n",
        2,
        "",
        "invalid YAML",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_deck_is_reported_precisely_and_good_decks_still_load(tmp_path: Path, case: str):
    text, line, qid, message = MALFORMED[case]
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text(GOOD_FLASHCARD, encoding="utf-8")
    library = load_library([GOOD_DECKS, tmp_path], bundled=False)
    problems = [p for p in library.problems if p.path.name == "bad.yaml"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert message in problem.message
    assert problem.line == line
    assert problem.question_id == qid
    assert str(problem).startswith(f"{tmp_path / 'bad.yaml'}:{line}: {qid or '-'}: ")
    assert "extra.card" in library.questions
    assert "basics.memory" in library.questions


def test_numeric_answer_not_computable_is_found_by_check(tmp_path: Path):
    # The solver exists but the parameters do not fit its signature.
    (tmp_path / "bad.yaml").write_text(
        NUMERIC.format(solver="vit:attention_memory_bytes", params="{image_size: 256}"),
        encoding="utf-8",
    )
    library = load_library([tmp_path], bundled=False)
    assert library.problems == []
    problems = check_library(library)
    assert len(problems) == 1
    assert problems[0].question_id == "bad.memory"
    assert problems[0].line == 3
    assert "numeric answer not computable" in problems[0].message


def test_non_utf8_file_is_rejected_with_its_line(tmp_path: Path):
    (tmp_path / "bad.yaml").write_bytes(b"topic: bad\nquestions:\n  - id: bad.\xff\n")
    problems = load_library([tmp_path], bundled=False).problems
    assert [(p.line, "UTF-8" in p.message) for p in problems] == [(3, True)]


def test_missing_content_directory_is_a_problem_not_a_crash(tmp_path: Path):
    library = load_library([tmp_path / "nope"], bundled=False)
    assert "content directory not found" in library.problems[0].message


def test_good_deck_fields_are_parsed():
    library = load_library([GOOD_DECKS], bundled=False)
    assert library.problems == []
    memory = library.questions["basics.memory"]
    assert (memory.kind, memory.unit, memory.solver_unit, memory.rel_tol) == (
        "numeric",
        "GB",
        "B",
        0.01,
    )
    pick = library.questions["basics.pick"]
    assert [o.correct for o in pick.options] == [True, False] and not pick.multiple
    assert library.questions["basics.essay"].rubric[0].startswith("variance")
    assert library.topics == ["basics"]
    assert library.topic_title("basics") == "Basics for tests"


def test_bundled_decks_load_without_problems():
    library = load_library()
    assert library.problems == []
    assert len(library.questions) > 0
