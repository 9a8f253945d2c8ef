"""Choice options are shuffled per showing, graded by identity, and stored by file number."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

from fsrs import Rating

from quizapp.decks.anki_export import card_text, to_html
from quizapp.decks.choices import decode_answer, encode_answer, shuffled_order
from quizapp.decks.content import load_library
from quizapp.progress.store import Mode, Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

SHUFFLED_DECKS = Path(__file__).parent / "decks" / "shuffled"


def _library():
    library = load_library([SHUFFLED_DECKS], bundled=False, cache=False)
    assert not library.problems, library.problems
    return library


def _session(tmp_path: Path, clock, ids: list[str]) -> StudySession:
    store = Store(tmp_path / "progress.db")
    planner = Planner.from_store(store, fuzz=False)
    return StudySession(
        _library(), store, planner, question_ids=ids, mode=Mode.PRACTICE, clock=clock
    )


def test_right_option_lands_on_every_position_and_fixed_one_stays(tmp_path, clock):
    session = _session(tmp_path, clock, ["order.one"] * 400)
    positions = Counter()
    while (variant := session.next()) is not None:
        shown = variant.shown_options()
        assert sorted(shown) == [0, 1, 2, 3]
        assert shown[3] == 3  # "none of the above" is fixed: always last
        positions[shown.index(0)] += 1
        # Pressing the position where the right option is shown is right...
        clock.advance(seconds=30)
        outcome = session.answer_choice({shown[shown.index(0)]})
        assert outcome.status == "correct" and outcome.rating == Rating.Good
    assert set(positions) == {0, 1, 2}
    assert min(positions.values()) > 80  # 400 showings over 3 movable places: ~133 each
    # ...and every answer is stored as the option's number in the file, whatever was shown.
    reviews = session.store.reviews("order.one")
    assert len(reviews) == 400 and {r.answer for r in reviews} == {"1"}
    assert len({r.variant_seed for r in reviews}) > 300  # the seed reproduces the order shown


def test_wrong_answer_names_the_right_option_by_its_shown_position(tmp_path, clock):
    session = _session(tmp_path, clock, ["order.many"] * 50)
    while (variant := session.next()) is not None:
        shown = variant.shown_options()
        outcome = session.answer_choice({0, 2})  # SimCLR and MAE: one right, one wrong
        assert outcome.status == "incorrect"
        numbers = [int(n) for n in re.findall(r"\d+", outcome.message)]
        assert sorted(shown[n - 1] for n in numbers) == [0, 1]
    assert {r.answer for r in session.store.reviews("order.many")} == {"1,3"}


def test_choice_order_from_seed_is_reproducible_and_old_answers_decode(tmp_path):
    options = _library().questions["order.many"].options
    assert shuffled_order(options, 7) == shuffled_order(options, 7)
    assert shuffled_order(options, None) == (0, 1, 2, 3, 4)
    assert decode_answer("1,3") == {0, 2} == decode_answer(encode_answer({2, 0}))
    assert decode_answer("") == set() and decode_answer("A") == set()


def test_fixed_must_be_true_or_false(tmp_path):
    deck = tmp_path / "bad"
    deck.mkdir()
    (deck / "bad.yaml").write_text(
        (SHUFFLED_DECKS / "order.yaml").read_text().replace("fixed: true", "fixed: sometimes")
    )
    library = load_library([deck], bundled=False, cache=False)
    assert any("'fixed' must be true or false" in p.message for p in library.problems)


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_anki_export_does_not_list_the_right_option_first():
    library = load_library(cache=False)
    choices = [q for q in library.questions.values() if q.kind == "choice"]
    assert len(choices) > 20
    first_right = 0
    for question in choices:
        front = card_text(question).front
        listed = [_plain(item) for item in re.findall(r"<li>(.*?)</li>", front, re.S)]
        texts = [_plain(to_html(" ".join(o.text.split()))) for o in question.options]
        assert sorted(listed) == sorted(texts), question.id
        first_right += question.options[texts.index(listed[0])].correct
        assert card_text(question) == card_text(question)  # the same order on every export
    # In the decks the right option comes first in most questions; in the export, far fewer.
    in_file = sum(q.options[0].correct for q in choices)
    assert in_file > len(choices) / 2
    assert first_right < len(choices) / 2
