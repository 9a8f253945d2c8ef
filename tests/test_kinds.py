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
from quizapp.kinds.base import Work
from quizapp.mock.assemble import EXAM_KINDS, MINUTES, POINTS, SHEET, sheet_minutes

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


KIND_NAMED = re.compile(r"Kind\.(FLASHCARD|CHOICE|NUMERIC|OPEN|CODE)\b")


def _kind_leaks(root: Path) -> dict[str, int]:
    """Modules under `root` (a package laid out like quizapp/) naming a kind member, outside
    the handlers and the screens that build answer widgets (a UI choice per kind)."""
    allowed = {"kinds", "tui"}
    leaks = {}
    for path in root.rglob("*.py"):
        if path.relative_to(root).parts[0] in allowed:
            continue
        hits = KIND_NAMED.findall(path.read_text())
        if hits:
            leaks[str(path.relative_to(root))] = len(hits)
    return leaks


def test_the_leak_scan_finds_a_kind_named_outside_the_handlers(tmp_path):
    for module in ("mock/assemble.py", "kinds/code.py", "tui/answer_widgets.py"):
        (tmp_path / module).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / module).write_text("if question.kind == Kind.CODE:\n    pass\n")
    (tmp_path / "mock" / "report.py").write_text("kind = handler(question.kind)  # Kind.Code\n")
    assert _kind_leaks(tmp_path) == {"mock/assemble.py": 1}


def test_no_module_outside_the_handlers_names_a_kind_in_its_logic():
    """Kinds are compared only in quizapp/kinds and in the screens that build their own
    answer widgets: a new kind is one handler module (and its tests), and a comparison
    anywhere else means a kind's behaviour leaked out of its handler."""
    assert _kind_leaks(ROOT / "quizapp") == {}, "ask handler(question.kind) instead"


def test_every_kind_of_exam_work_is_done_by_some_kind_and_the_sheet_asks_each():
    works = {task.work for k in Kind if (task := handler(k).exam) is not None}
    assert works == set(Work)
    assert {work for slot in SHEET for work in slot.work} == set(Work)
    assert sheet_minutes() == 60  # 2 code, 4 calculations, 2 choices, 4 open answers
