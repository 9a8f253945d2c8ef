"""LaTeX math shown as readable Unicode: the strings themselves, and on the study screen."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.widgets import Markdown

from quizapp.decks.content import load_library
from quizapp.decks.math_segments import split_math
from quizapp.decks.mathtext import latex_to_unicode, to_unicode
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets import ChoiceList


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"\frac{QK^T}{\sqrt{d_k}}", "QKᵀ/√(d_k)"),
        (r"\mathrm{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V", "softmax(QKᵀ/√(d_k))V"),
        (r"\exp(x_i) / \sum_j \exp(x_j)", "exp(x_i) / ∑_j exp(x_j)"),
        (r"\sum_{k=1}^{2N} e^{-t}", "∑_(k=1)²ᴺ e⁻ᵗ"),
        (r"\sum_{m=1}^{d_k} q_m k_m", "∑_(m=1)^(d_k) q_m k_m"),
        (r"z_i^\top z_j", "z_iᵀ z_j"),
        (r"\frac{a + b}{2}", "(a + b)/2"),
        (r"(P^2)^2 = P^4", "(P²)² = P⁴"),
        (r"x_1, x_{12}, W^K", "x₁, x₁₂, Wᴷ"),
        (r"\text{bytes} = n^2 \cdot 4\,\text{B}", "bytes = n² · 4\u2009B"),
        (r"\mathbb{R}^{n \times d}", "ℝ^(n × d)"),
        (r"\mathbb{1}_{[k \neq i]}", "𝟙_[k ≠ i]"),
        (r"\lfloor x \rfloor \le \infty, \tau \approx \alpha", "⌊ x ⌋ ≤ ∞, τ ≈ α"),
        (r"\log\frac{a}{b}", "log a/b"),
        (r"\sqrt{2} \sqrt[3]{x}", "√2 ∛x"),
        (r"\hat{y}", "y\u0302"),
        (r"2\pi \cdot 10000^{2i/d_{model}}", "2π · 10000^(2i/d_model)"),
        (r"({{image_size}}/{{patch}})^2", "({{image_size}}/{{patch}})²"),
    ],
)
def test_formulas_read_well(latex, shown):
    assert latex_to_unicode(latex) == shown


def test_markdown_keeps_code_and_escapes_rendered_math():
    text = (
        "Scores $\\frac{QK^T}{\\sqrt{d_k}}$ cost \\$5, not $5 or $10.\n\n"
        "Inline `$x^2$` stays.\n\n```python\nprice = '$a$'\n```\n\n$$\\sum_i x_i$$"
    )
    out = to_unicode(text)
    assert "Scores QKᵀ/√(d\\_k) cost \\$5, not $5 or $10." in out  # escaped for Markdown
    assert "`$x^2$`" in out
    assert "price = '$a$'" in out
    assert out.endswith("∑\\_i x\\_i")
    assert to_unicode("$d_k$", markdown=False) == "d_k"


def test_math_spans_are_found_like_pandoc():
    kinds = [s.kind for s in split_math("a $x$ b $$y$$ c $ 5 and $6 `$z$`")]
    assert kinds == ["text", "inline", "text", "display", "text", "code"]
    assert [s.text for s in split_math("$a\nb$")] == ["a\nb"]  # one line break is fine
    assert [s.kind for s in split_math("$a\n\nb$")] == ["text"]  # a paragraph break is not


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"$\\{}^_ab12 `\n[]()&", "\\frac", "\\sqrt", "\\text", "$$"])).map(
        "".join
    )
)
def test_never_raises_on_any_input(text):
    assert isinstance(to_unicode(text), str)
    assert isinstance(latex_to_unicode(text), str)


def test_every_bundled_text_renders_fast():
    library = load_library()
    texts = [
        t
        for q in library.questions.values()
        for t in (q.prompt, q.explanation, q.back, q.model_answer, *(o.text for o in q.options))
    ]
    to_unicode.cache_clear()
    latex_to_unicode.cache_clear()
    start = time.perf_counter()
    rendered = [to_unicode(t) for t in texts]
    assert time.perf_counter() - start < 1.0
    with_math = [r for t, r in zip(texts, rendered, strict=True) if "\\frac" in t]
    assert with_math and not any("\\frac" in r for r in with_math)


DECK = r"""
topic: mathy
questions:
  - id: mathy.scale
    kind: flashcard
    title: Scaling
    prompt: What is $\frac{QK^T}{\sqrt{d_k}}$ fed into?
    back: The $\mathrm{softmax}$ over each row of $n \times n$ scores.
    explanation: Keeps $\mathrm{Var}$ near $1$.
    source: test
  - id: mathy.pick
    kind: choice
    title: Pick
    prompt: Which is the scale?
    options:
      - {text: "$\\sqrt{d_k}$", correct: true}
      - {text: "$d_k^2$"}
    explanation: Divide by $\sqrt{d_k}$.
    source: test
"""


async def test_study_screen_shows_unicode_math(tmp_path: Path):
    (tmp_path / "mathy.yaml").write_text(DECK, encoding="utf-8")
    library = load_library([tmp_path], bundled=False)
    app = QuizApp(library, Store(tmp_path / "p.db"), grader=None, fuzz=False)
    async with app.run_test() as pilot:
        app.start_session(app.new_session(question_ids=["mathy.scale", "mathy.pick"]), "T")
        await pilot.pause()
        assert "What is QKᵀ/√(d\\_k) fed into?" in app.screen.query_one("#prompt", Markdown).source
        await pilot.press("space")
        back = app.screen.query_one("#card-back", Markdown).source
        assert back == "The softmax over each row of n × n scores."
        # the explanation comes with the back: rating moves straight on to the next card
        explanation = app.screen.query_one("#explanation", Markdown)
        assert explanation.display and "Keeps Var near 1." in explanation.source
        await pilot.press("3")
        await pilot.pause()
        options = app.screen.query_one("#choices", ChoiceList)
        console = Console(width=60, record=True, file=io.StringIO())
        console.print(options.render())
        shown = console.export_text()
        assert "√(d_k)" in shown and "d_k²" in shown
