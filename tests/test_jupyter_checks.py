"""The notebook side without a kernel: the source a function check sends, the verdict's
views (escaped HTML, plain text) and that `import quizapp` stays free of IPython."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from quizapp.errors import UsageError
from quizapp.inert import inert
from quizapp.jupyter.result import CheckResult
from quizapp.jupyter.source import source_of


def _positives(n):
    return torch.arange(n) ^ 1


def calc_info_nce(affinity_matrix):
    logits = affinity_matrix.masked_fill(torch.eye(len(affinity_matrix), dtype=torch.bool), -1e9)
    return F.cross_entropy(logits, _positives(len(affinity_matrix))).item()


def test_a_function_is_sent_with_the_imports_and_helpers_it_uses():
    source = source_of(calc_info_nce)
    namespace: dict = {}
    exec(compile(source, "<check>", "exec"), namespace)  # a whole program on its own
    s = torch.randn(6, 6)
    assert namespace["calc_info_nce"](s) == pytest.approx(calc_info_nce(s))
    assert set(source.splitlines()[:2]) == {"import torch", "import torch.nn.functional as F"}
    assert source.index("def _positives") < source.index("def calc_info_nce")


def test_a_function_without_source_is_named_and_refused():
    namespace: dict = {}
    exec("def made_by_exec(x):\n    return x\n", namespace)
    with pytest.raises(UsageError, match="cannot read the source of made_by_exec"):
        source_of(namespace["made_by_exec"])
    with pytest.raises(UsageError, match="not a Python function"):
        source_of(len)
    with pytest.raises(UsageError, match="not int"):
        source_of(3)


def test_escape_sequences_and_bidi_controls_are_removed():
    text = "a\x1b[31mred\x1b[0m \x1b]0;title\x07b\x1b]8;;http://x\x1b\\link\u202e\x9b2Jc\r\n"
    assert inert(text) == "ared blinkc\n"


HOSTILE = CheckResult(
    "clr.info-nce",
    "incorrect",
    "**Not quite.** Your code printed:\n\n```\n<script>alert(1)</script>\x1b[2J\n```\n\n"
    'Error: <img src=x onerror="alert(2)"> [click](javascript:alert(3)) ![](http://x/y.png)',
    0,
    4,
    note="<b>note</b>",
)


def test_the_notebook_view_escapes_every_submitted_character():
    html = HOSTILE._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x" in html and "&lt;b&gt;note&lt;/b&gt;" in html
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "\x1b" not in html
    assert "✗ clr.info-nce: incorrect (0/4 cases)" in html


def test_the_plain_view_has_no_markdown_markers_or_escapes():
    text = HOSTILE.text()
    assert text.startswith("✗ clr.info-nce: incorrect (0/4 cases)\nNot quite.")
    assert "**" not in text and "\x1b" not in text
    assert not HOSTILE.correct and not HOSTILE
    assert CheckResult("x.y", "correct", "Correct!").correct


def test_importing_quizapp_loads_no_ipython():
    code = (
        "import sys, quizapp, quizapp.jupyter\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('IPython', 'torch')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
