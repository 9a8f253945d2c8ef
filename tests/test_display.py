"""Every text of every question as a student sees it: no raw LaTeX, no stray `$`, and no
Markdown structure (lists, headings, emphasis) that the author did not write."""

from __future__ import annotations

import pytest

from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.decks.mathtext import to_unicode, unknown_commands
from quizapp.decks.text_lint import Shown, question_problems, shown_texts, text_problems
from quizapp.decks.variants import render

SEEDS = (0, 1, 2, 3, 4)


@pytest.fixture(scope="module")
def bundled():
    return load_library([], bundled=True)


@pytest.mark.slow  # runs every bundled text / `quizapp check` in a process
def test_every_bundled_text_renders_cleanly_for_several_variants(bundled):
    problems = [
        f"{q.id}: {p}" for q in bundled.questions.values() for p in question_problems(q, SEEDS)
    ]
    assert problems == []


def test_every_field_kind_is_covered(bundled):
    """The sweep above really looks at prompts, explanations, options, backs and rubrics."""
    fields = {
        shown.field.split(" ")[0]
        for q in bundled.questions.values()
        for shown in shown_texts(q, SEEDS)
    }
    assert {"title", "prompt", "explanation", "option", "back", "model", "rubric"} <= fields
    numeric = bundled.questions["seq2seq.bahdanau-context"]
    variants = [s.field for s in shown_texts(numeric, SEEDS) if s.field.startswith("prompt")]
    assert variants == ["prompt", *(f"prompt (variant {seed})" for seed in SEEDS)]


def _problems(source: str, *, inline: bool = False, params: dict | None = None) -> list[str]:
    text = render(source, params or {})
    return text_problems(Shown("prompt", source, to_unicode(text), inline=inline))


def test_unknown_command_is_reported_although_it_renders_as_a_word():
    assert to_unicode(r"$k \ne i$") == "k ≠ i"
    assert unknown_commands(r"a $\frac{1}{2} \nope x$ and `$\code$`") == ["nope"]
    (problem,) = _problems(r"The mask $\mathbb{1}_{[k \nee i]}$ drops the anchor.")
    assert "\\nee" in problem


def test_dollar_that_opens_no_formula_is_reported_with_where_it_is():
    (problem,) = _problems("Compute the cosine of $u = $ {{u}}.", params={"u": [1, 2]})
    assert "$u = $ {{u}}" in problem
    assert _problems("Compute the cosine of $u$ = {{u}}.", params={"u": [1, 2]}) == []
    assert _problems(r"It costs \$5, or $5 and $10 in cash.") == []


def test_latex_outside_math_is_reported():
    (problem,) = _problems(r"The loss is \sum_i of the terms.")
    assert "\\sum" in problem


def test_value_at_the_start_of_a_line_stays_in_the_sentence():
    source = "Read off component\n{{component}}. Because the weights sum to 1."
    text = render(source, {"component": 1})
    assert text.endswith("\n1\\. Because the weights sum to 1.")
    assert _problems(source, params={"component": 1}) == []
    assert render("{{x}} more", {"x": -2}) == "-2 more"
    assert render("{{sign}} x", {"sign": "-"}) == "\\- x"


def test_markdown_structure_the_author_wrote_is_fine_and_new_structure_is_not():
    assert _problems("Steps:\n\n1. embed\n2. attend\n\n**Note** `x`") == []
    assert _problems("That is the problem of setting the *scores* to 0.", inline=True) == []
    shown = Shown("explanation", "x\n{{n}}", "x\n\n1. Because")
    assert "numbered list" in text_problems(shown)[0]
    heading = Shown("option 1", "{{v}}", "# big", inline=True)
    assert "heading" in text_problems(heading)[0]


@pytest.mark.slow  # runs every bundled text / `quizapp check` in a process
def test_check_reports_rendering_problems_in_a_students_deck(tmp_path, capsys):
    deck = tmp_path / "mine.yaml"
    deck.write_text(
        "topic: mine\n"
        "questions:\n"
        "  - id: mine.card\n"
        "    kind: flashcard\n"
        "    title: Not equal\n"
        "    prompt: When is $k \\neq i$?\n"
        "    back: Whenever $k \\nq i$, and $x = $ 3.\n"
        "    explanation: fine\n"
        "    source: my notes\n",
        encoding="utf-8",
    )
    assert main(["check", "--content", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{deck}:3: mine.card: back: unknown LaTeX command \\nq" in out
    assert f"{deck}:3: mine.card: back: a $ that starts no formula" in out
    assert "prompt" not in out


def test_a_list_marked_and_is_written_as_prose():
    params = {"counts": [1, 4, 100], "pair": [2.5, 3.0], "one": [7], "n": 3, "rows": [[1, 2]]}
    text = render("{{counts|and}} images; {{ pair | and }}; {{one|and}}; {{n|and}}", params)
    assert text == "1, 4 and 100 images; 2.5 and 3; 7; 3"
    assert render("{{counts}}", params) == "[1, 4, 100]"
    assert render("{{rows|and}}", params) == "[[1, 2]]"  # a matrix stays a matrix
