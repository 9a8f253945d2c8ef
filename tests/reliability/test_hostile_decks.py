"""Decks that try to run code, exhaust memory or reach outside solvers/: each becomes a
clear file:line problem and nothing is executed."""

from __future__ import annotations

import time

import pytest

from quizapp.decks.content import Library, load_file

QUESTION = """\
topic: evil
questions:
  - id: evil.one
    kind: numeric
    title: t
    prompt: p
    explanation: e
    source: s
    solver: {solver}
    params: {params}
"""


def load(tmp_path, text: str | bytes, name: str = "evil.yaml") -> Library:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    library = Library()
    load_file(path, library, {})
    return library


def only_problem(library: Library) -> str:
    assert not library.questions
    assert len(library.problems) == 1
    return str(library.problems[0])


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:builtins.object {{}}",
    ],
)
def test_python_tags_are_refused_and_never_run(tmp_path, tag):
    marker = tmp_path / "pwned"
    text = QUESTION.format(solver="vit:attention_memory_bytes", params=tag.format(marker=marker))
    problem = only_problem(load(tmp_path, text))
    assert "evil.yaml:10" in problem and "constructor" in problem
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["topic: evil", "laughs:"]
    lines.append("  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]")
    for i in range(1, 9):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("questions: [*a8]")
    started = time.perf_counter()
    problem = only_problem(load(tmp_path, "\n".join(lines) + "\n"))
    assert time.perf_counter() - started < 2
    assert "evil.yaml:" in problem and "aliases" in problem


def _laughs(anchor: str, layout: str) -> str:
    """Nine levels of ten aliases each, in the given layout and anchor spelling."""
    levels = ["[" + ", ".join(["lol"] * 10) + "]"]
    levels += ["[" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    named = [anchor.format(name=f"a{i}") + " " + level for i, level in enumerate(levels)]
    if layout == "flow":
        return "{topic: evil, laughs: [" + ", ".join(named) + "], questions: [*a8]}\n"
    return "topic: evil\nlaughs:\n" + "".join(f"- {n}\n" for n in named) + "questions: [*a8]\n"


@pytest.mark.parametrize("layout", ["flow", "block-sequence"])
@pytest.mark.parametrize("anchor", ["&{name}", "!!seq &{name}", "&{name} !!seq"])
def test_billion_laughs_in_other_layouts(tmp_path, layout, anchor):
    problem = only_problem(load(tmp_path, _laughs(anchor, layout)))
    assert "aliases" in problem


def test_recursive_alias_is_refused(tmp_path):
    text = QUESTION.format(solver="vit:attention_memory_bytes", params="&p {self: *p}")
    assert "recursive" in only_problem(load(tmp_path, text))


def test_a_few_aliases_still_work(tmp_path):
    text = QUESTION.format(
        solver="vit:attention_memory_bytes",
        params="{image_size: &s 256, patch_size: *s, layers: 1, heads: 1, bytes_per_float: 4}",
    )
    library = load(tmp_path, text)
    assert not library.problems and library.questions["evil.one"].params["patch_size"] == 256


def test_fifty_megabyte_deck_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zero bytes
    library = Library()
    started = time.perf_counter()
    load_file(path, library, {})
    assert time.perf_counter() - started < 1
    assert "huge.yaml:0" in str(library.problems[0]) and "limited to 2 MB" in str(
        library.problems[0]
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"topic: evil\nquestions:\n  - id: evil.\xff\xfe\n",
        b"\xff\xfet\x00o\x00p\x00i\x00c\x00",
        b"topic: evil\nquestions: []\n\x00\x00\x00",
    ],
)
def test_non_utf8_and_binary_bytes(tmp_path, raw):
    problem = only_problem(load(tmp_path, raw))
    assert "evil.yaml:" in problem


@pytest.mark.parametrize(
    ("solver", "why"),
    [
        ("os:system", "no solvers/os.py"),
        ("subprocess:run", "no solvers/subprocess.py"),
        ("../quizapp/store:Store", "must be 'module:function' inside solvers/"),
        ("os.path:join", "must be 'module:function' inside solvers/"),
        ("/etc/passwd:root", "must be 'module:function' inside solvers/"),
        ("vit:__import__", "must be 'module:function' inside solvers/"),
        ("vit:_private_helper", "must be 'module:function' inside solvers/"),
        ("vit:torch", "has no function 'torch'"),
        ("vit:os", "has no function 'os'"),
        ("builtins:eval", "no solvers/builtins.py"),
    ],
)
def test_solver_references_resolve_only_inside_solvers(tmp_path, solver, why):
    text = QUESTION.format(solver=repr(solver), params="{}")
    problem = only_problem(load(tmp_path, text))
    assert why in problem and "evil.yaml:3" in problem


@pytest.mark.parametrize(
    "text",
    [
        "topic: evil\nquestions:\n  - when: 2001-02-30\n",
        "topic: evil\nquestions:\n  - n: !!int 0x_\n",
        "topic: evil\nquestions: " + "[" * 5000 + "]" * 5000 + "\n",
        "topic: evil\nquestions:\n  - ? [a, b]\n    : 1\n",
    ],
)
def test_odd_values_become_problems(tmp_path, text):
    assert "evil.yaml" in only_problem(load(tmp_path, text))
