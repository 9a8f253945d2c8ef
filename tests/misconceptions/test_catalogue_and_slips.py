"""The catalogue, its links, and slips composed from a question's parameters."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quizapp.decks.checker import check_library
from quizapp.decks.content import load_library
from quizapp.decks.variants import make_variant, slip_candidates
from quizapp.misconceptions.catalogue import link_problems
from quizapp.study.numeric_answers import grade_numeric


@pytest.fixture(scope="module")
def library():
    return load_library(cache=False)


def _grade(variant, text):
    q = variant.question
    return grade_numeric(
        text, variant.expected, q.unit, q.rel_tol, q.abs_tol, mistakes=slip_candidates(variant)
    )


def test_the_bundled_catalogue_loads_and_every_diagnosis_links_to_it(library):
    assert library.problems == []
    assert len(library.misconceptions) >= 100
    problems = {
        q.id: link_problems(q, library.misconceptions)
        for q in library.questions.values()
        if link_problems(q, library.misconceptions)
    }
    assert problems == {}
    linked_options = [o for q in library.questions.values() for o in q.options if o.misconception]
    assert len(linked_options) >= 8


def _deck_dir(tmp_path: Path, catalogue: str, link: str, heads: int = 8) -> Path:
    (tmp_path / "misconceptions.yaml").write_text(textwrap.dedent(catalogue), encoding="utf-8")
    (tmp_path / "demo.yaml").write_text(
        textwrap.dedent(
            f"""\
            topic: demo
            title: Demo
            questions:
              - id: demo.double
                kind: numeric
                title: Double
                prompt: What is d_k?
                explanation: 2n.
                source: none
                solver: transformer_numbers:head_dim
                params: {{d_model: 512, heads: {heads}}}
                slips:
                  - misconception: {link}
                    set: {{heads: 1}}
                    hint: Not split.
            """
        ),
        encoding="utf-8",
    )
    return tmp_path


CATALOGUE = """\
    misconceptions:
      - id: not-split
        title: Not split
        topic: demo
        wrong: Every head is full width.
        right: Divide by the heads.
    """


def test_check_reports_a_link_to_an_unknown_misconception(tmp_path):
    library = load_library([_deck_dir(tmp_path, CATALOGUE, "no-such-idea")], bundled=False)
    messages = [p.message for p in check_library(library)]
    assert any("unknown misconception 'no-such-idea'" in m for m in messages), messages


def test_check_accepts_a_link_to_a_known_misconception(tmp_path):
    library = load_library([_deck_dir(tmp_path, CATALOGUE, "not-split")], bundled=False)
    assert [str(p) for p in check_library(library)] == []


def test_a_catalogue_entry_without_its_right_idea_is_a_problem_with_a_line(tmp_path):
    broken = CATALOGUE.replace("        right: Divide by the heads.\n", "")
    library = load_library([_deck_dir(tmp_path, broken, "not-split")], bundled=False)
    [problem] = library.problems
    assert problem.path.name == "misconceptions.yaml" and problem.line == 2
    assert "'right'" in problem.message


def test_heads_and_layers_both_forgotten_is_derived_not_written(library):
    question = library.questions["attention.score-memory"]  # 1024 tokens, 8 heads, 6 layers
    assert not any("layers" in m.solver for m in question.known_mistakes)
    result = _grade(make_variant(question, fixed=True), f"{1024**2 * 4 / 1e6:.4g} MB")
    assert set(result.misconceptions) == {"heads-forgotten", "layers-forgotten"}
    assert result.diagnosis.startswith("Two slips at once:")


def test_a_single_slip_is_preferred_to_a_pair_that_gives_the_same_number(library):
    question = library.questions["attention.score-memory"]
    result = _grade(make_variant(question, fixed=True), f"{1024**2 * 6 * 4 / 1e6:.4g} MB")
    assert result.misconceptions == ("heads-forgotten",)
    assert "Two slips" not in result.diagnosis


def test_two_slips_that_give_the_same_number_are_both_named(library):
    question = library.questions["language-models.gpt3-attention-memory"]  # 96 heads, 96 layers
    result = _grade(make_variant(question, fixed=True), "0.8053 GB")
    assert set(result.misconceptions) == {"heads-forgotten", "layers-forgotten"}
    assert " Or: " in result.diagnosis


def test_a_slip_that_cannot_change_the_answer_is_never_shown_and_check_says_so(tmp_path):
    library = load_library([_deck_dir(tmp_path, CATALOGUE, "not-split", heads=1)], bundled=False)
    messages = [p.message for p in check_library(library)]
    assert any("never changes the answer" in m for m in messages), messages
    variant = make_variant(library.questions["demo.double"], fixed=True)
    assert [c.value for c in slip_candidates(variant)] == [variant.expected]
    assert _grade(variant, "512").correct
    assert _grade(variant, "256").diagnosis == ""


def test_a_unit_slip_and_a_result_transformation_compose(library):
    question = library.questions["clr.chance-loss"]  # ln(2N − 1) with N = 256
    assert _grade(make_variant(question, fixed=True), "8").misconceptions == (
        "one-view-per-item",
        "log2-for-ln",
    )
    mib = library.questions["attention.score-memory"]
    result = _grade(make_variant(mib, fixed=True), "192 MB")  # 201 326 592 B / 2²⁰
    assert result.misconceptions == ("decimal-vs-binary-units",)


def test_a_students_own_deck_may_leave_its_known_mistakes_unlinked(tmp_path):
    (tmp_path / "own.yaml").write_text(
        textwrap.dedent(
            """\
            topic: own
            title: Own
            questions:
              - id: own.width
                kind: numeric
                title: Width
                prompt: What is d_k?
                explanation: d_model / h.
                source: none
                solver: transformer_numbers:head_dim
                params: {d_model: 512, heads: 8}
                known_mistakes:
                  - solver: transformer_mistakes:head_dim_unsplit
                    hint: Not split.
            """
        ),
        encoding="utf-8",
    )
    library = load_library([tmp_path], bundled=False, cache=False)
    assert check_library(library) == []
    assert link_problems(library.questions["own.width"], library.misconceptions) == [
        "known mistake transformer_mistakes:head_dim_unsplit links to no misconception; "
        "add 'misconception: <id>'"
    ]
