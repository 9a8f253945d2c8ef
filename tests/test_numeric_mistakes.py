"""Known mistakes of numeric questions: loading, checking, explanations and the session."""

from pathlib import Path

import pytest

from quizapp.decks.checker import check_question
from quizapp.decks.content import load_library
from quizapp.decks.variants import make_variant, mistake_values
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

MISTAKE_DECKS = Path(__file__).parent / "decks" / "mistakes"
SHEET_GB = 65536**2 * 4 * 16 * 32 / 1e9  # 8796.09 GB


def _library():
    library = load_library([MISTAKE_DECKS], bundled=False, cache=False)
    assert library.problems == []
    return library


def _session(db_path, clock):
    library = _library()
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)
    return StudySession(library, store, planner, question_ids=[], clock=clock)


def _seed_with(question, **wanted):
    return next(
        seed
        for seed in range(200)
        if all(make_variant(question, seed).params[k] == v for k, v in wanted.items())
    )


def test_the_deck_passes_the_deep_check():
    assert check_question(_library().questions["memo.pixels"]) == []


def test_a_wrong_answer_equal_to_a_mistake_shows_its_hint_and_is_recorded_wrong(db_path, clock):
    session = _session(db_path, clock)
    session.show("memo.pixels", fixed=True)
    outcome = session.answer_numeric("549.8 GB")  # 8796 GB / 16 heads
    assert outcome.status == "incorrect"
    assert outcome.message == "Not quite: expected 8796 GB. You left out the heads."
    assert outcome.diagnosis == "You left out the heads."
    review = session.store.reviews("memo.pixels")[0]
    assert (review.correct, review.answer) == (False, "549.8 GB")


def test_the_mistake_is_computed_for_the_variant_shown_not_the_sheet(db_path, clock):
    session = _session(db_path, clock)
    question = session.library.questions["memo.pixels"]
    variant = session.show("memo.pixels", seed=_seed_with(question, heads=1))
    bits_tb = variant.expected * 8 / 1000  # this variant's value in bits, typed in TB
    outcome = session.answer_numeric(f"{bits_tb:.5g} TB")
    assert outcome.diagnosis == "That is the size in bits."
    assert "heads" not in outcome.message


def test_a_mistake_that_coincides_for_this_variant_is_not_offered(db_path, clock):
    """With a single head, "forgot the heads" is the right answer: it is no mistake here."""
    session = _session(db_path, clock)
    question = session.library.questions["memo.pixels"]
    variant = session.show("memo.pixels", seed=_seed_with(question, heads=1))
    values = dict((hint, value) for value, hint in mistake_values(variant))
    assert values["You left out the heads."] == pytest.approx(variant.expected)
    outcome = session.answer_numeric(f"{variant.expected:.6g}")
    assert outcome.status == "correct"
    assert "heads" not in outcome.message and outcome.diagnosis == ""


def test_the_explanation_works_through_the_variants_own_numbers():
    question = _library().questions["memo.pixels"]
    one = make_variant(question, _seed_with(question, heads=1))
    sixteen = make_variant(question, _seed_with(question, heads=16))
    assert "65536² · 4 B · 1 · 32 = 549755813888 B" in one.explanation
    assert "i.e. 549.8 GB." in one.explanation
    assert "65536² · 4 B · 16 · 32 = 8796093022208 B" in sixteen.explanation
    assert "i.e. 8796 GB." in sixteen.explanation
    assert "{{" not in one.explanation + sixteen.explanation


DECK_HEAD = """topic: bad
questions:
  - id: bad.q
    kind: numeric
    title: t
    prompt: How many patches for {{image_size}} and {{patch_size}}?
    source: s
    solver: vit:patch_count
    params: {image_size: 224, patch_size: 16}
    vary: {patch_size: [14, 16]}
"""


def _bad(tmp_path, extra: str):
    (tmp_path / "bad.yaml").write_text(DECK_HEAD + extra, encoding="utf-8")
    return load_library([tmp_path], bundled=False, cache=False)


def test_check_reports_a_mistake_that_gives_the_right_answer_on_the_sheet(tmp_path):
    library = _bad(
        tmp_path,
        "    known_mistakes:\n"
        "      - {solver: vit_mistakes:deit_without_special_tokens, hint: Same thing.}\n"
        "    explanation: x\n",
    )
    [message] = check_question(library.questions["bad.q"])
    assert "deit_without_special_tokens gives the right answer for the sheet's numbers" in message


def test_check_reports_a_mistake_that_cannot_be_computed(tmp_path):
    # memory_without_heads needs layers and heads, which this question does not have
    library = _bad(
        tmp_path,
        "    known_mistakes:\n"
        "      - {solver: vit_mistakes:memory_without_heads, hint: Heads.}\n"
        "    explanation: x\n",
    )
    [message] = check_question(library.questions["bad.q"])
    assert message.startswith("known mistake")
    assert "memory_without_heads" in message


def test_check_reports_an_unfilled_placeholder_in_the_explanation(tmp_path):
    library = _bad(tmp_path, "    explanation: There are {{tokens}} patches.\n")
    [message] = check_question(library.questions["bad.q"])
    assert "'explanation' uses {{tokens}}" in message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "    known_mistakes:\n      - {solver: vit_mistakes:nope, hint: h}\n",
            "solvers/vit_mistakes.py has no function 'nope'",
        ),
        ("    known_mistakes:\n      - {solver: vit:patch_dim}\n", "needs 'solver' and 'hint'"),
        (
            "    known_mistakes:\n      - {solver: vit:patch_dim, hint: h, value: 3}\n",
            "unknown field(s) in a known mistake: value",
        ),
        ("    derived: {answer: vit:patch_dim}\n", "not 'answer'"),
        ("    derived: {tokens: vit:nothing}\n", "has no function 'nothing'"),
    ],
)
def test_loading_reports_bad_mistakes_and_derived_values(tmp_path, extra, expected):
    library = _bad(tmp_path, extra + "    explanation: x\n")
    assert "bad.q" not in library.questions
    [problem] = library.problems
    assert expected in problem.message


def test_check_reports_an_unknown_format_after_the_bar(tmp_path):
    library = _bad(tmp_path, "    explanation: Sizes {{image_size|or}}.\n")
    [message] = check_question(library.questions["bad.q"])
    assert "'explanation' uses {{image_size|or}}; the only format after '|' is 'and'" in message


def test_check_accepts_the_and_format(tmp_path):
    library = _bad(tmp_path, "    explanation: Sizes {{image_size|and}}.\n")
    assert check_question(library.questions["bad.q"]) == []
