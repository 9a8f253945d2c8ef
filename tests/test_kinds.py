"""Each question kind has one handler, and the handler is what the rest of the app asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.decks.anki_export import card_text
from quizapp.decks.content import COMMON_FIELDS, KINDS, Kind, load_library, parse_question
from quizapp.decks.fields import DeckError
from quizapp.decks.variants import make_variant
from quizapp.kinds import handler
from quizapp.mock.assemble import EXAM_KINDS, MINUTES, POINTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_every_kind_has_its_own_handler():
    handlers = [handler(kind) for kind in Kind]
    assert [h.kind for h in handlers] == list(Kind)
    assert len({id(h) for h in handlers}) == len(Kind)
    for h in handlers:
        assert h.label and not (h.fields & COMMON_FIELDS), h.kind


def test_a_bundled_question_of_every_kind_goes_through_its_handler(library):
    for kind in KINDS:
        question = next(q for q in library.questions.values() if q.kind == kind)
        sides = handler(kind).anki_sides(question)
        assert sides.front.strip() and sides.answer.strip(), kind
        assert card_text(question).back  # the Anki export asks the same handler
        variant = make_variant(question, seed=1)
        solution = "\n".join(handler(kind).solution_lines(question, variant))
        if kind in (Kind.CODE, Kind.OPEN, Kind.FLASHCARD, Kind.CHOICE):
            assert solution.strip(), kind
        assert (handler(kind).stub(question) is not None) == (kind == Kind.CODE)


def test_the_mock_exam_asks_exactly_the_kinds_with_an_exam_task():
    assert set(EXAM_KINDS) == {k for k in Kind if handler(k).exam is not None}
    assert Kind.FLASHCARD not in EXAM_KINDS
    for kind in EXAM_KINDS:
        task = handler(kind).exam
        assert task is not None and POINTS[kind] == task.points and MINUTES[kind] == task.minutes


def test_a_field_of_another_kind_is_refused_with_its_line():
    item = {
        "id": "t.q",
        "kind": "flashcard",
        "title": "T",
        "prompt": "P",
        "explanation": "E",
        "source": "S",
        "back": "B",
        "options": [],
        "__line__": 7,
    }
    with pytest.raises(DeckError) as err:
        parse_question(item, "t", Path("t.yaml"))
    assert err.value.line == 7 and "options" in err.value.message


def test_no_module_outside_the_handlers_names_a_kind_in_its_logic():
    """Kinds are compared only in quizapp/kinds and in the screens that still build their
    own answer widgets; a new comparison elsewhere means a kind's behaviour leaked out."""
    allowed = {"kinds", "tui"}
    pattern = re.compile(r"Kind\.(FLASHCARD|CHOICE|NUMERIC|OPEN|CODE)\b")
    leaks = {}
    for path in (ROOT / "quizapp").rglob("*.py"):
        part = path.relative_to(ROOT / "quizapp").parts[0]
        if part in allowed:
            continue
        hits = pattern.findall(path.read_text())
        if hits:
            leaks[str(path.relative_to(ROOT))] = len(hits)
    assert leaks == KNOWN_LEAKS, "branch on the kind in quizapp/kinds instead"


# Places that still name a kind. The exercise sheet's slots say which kinds each section of
# a mock exam asks (data, not behaviour); the others are the next to move into handlers:
# drawing a variant, `quizapp check` and `quizapp grade`. Shrink this, never grow it.
KNOWN_LEAKS: dict[str, int] = {
    "quizapp/mock/assemble.py": 16,
    "quizapp/decks/variants.py": 2,
    "quizapp/decks/checker.py": 2,
    "quizapp/decks/text_lint.py": 1,
    "quizapp/commands/grade.py": 5,
    # which misconceptions an answer can show: slips (numeric), distractors (choice), hints
    "quizapp/misconceptions/seen.py": 3,
    "quizapp/misconceptions/drill.py": 1,
}
