"""`module:function` solver references: parsed once, checked against the parsed source
(never imported), resolved by import only inside the solvers package."""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from quizapp import locations
from quizapp.decks import solver_ref
from quizapp.decks.cache import ParsedDeckCache
from quizapp.decks.solver_ref import SolverError, SolverRef

TRICKY = textwrap.dedent(
    '''
    """Solvers whose line layout fooled a scan for `def` at the start of a line."""
    import sys

    NOTE = """
    def in_a_string(x):
    """

    if sys.version_info >= (3,):
        def in_a_branch(x):
            return x

    def real(x):
        return x + 1

    class Helper:
        def method(self):
            return 1

    open("imported-marker", "w").write("the module ran")
    '''
)


@pytest.fixture
def solvers_dir(tmp_path, monkeypatch):
    """An own solvers folder; the real one is indexed again afterwards."""
    folder = tmp_path / "solvers"
    folder.mkdir()
    monkeypatch.setattr(locations, "solvers_dir", lambda: folder)
    monkeypatch.chdir(tmp_path)
    solver_ref.index_solvers()
    yield folder
    monkeypatch.undo()
    solver_ref.index_solvers()


def test_parse_reads_module_and_function():
    ref = SolverRef.parse("vit:patch_count")
    assert (ref.module, ref.function, str(ref)) == ("vit", "patch_count", "vit:patch_count")
    assert ref == SolverRef("vit", "patch_count")  # a value: usable as a key, comparable


@pytest.mark.parametrize(
    "text", ["vit", "vit:", ":f", "os.path:join", "../x:y", "vit:_private", "Vit:f", None, 3]
)
def test_parse_refuses_anything_but_module_colon_public_function(text):
    with pytest.raises(SolverError, match="not a 'module:function' reference"):
        SolverRef.parse(text)


def test_validate_counts_only_top_level_functions_and_never_imports(solvers_dir, tmp_path):
    (solvers_dir / "tricky.py").write_text(TRICKY)
    solver_ref.index_solvers()
    SolverRef.parse("tricky:real").validate()
    for name in ("in_a_string", "in_a_branch", "method", "Helper", "NOTE", "sys"):
        with pytest.raises(SolverError, match=f"solvers/tricky.py has no function '{name}'"):
            SolverRef("tricky", name).validate()
    assert not (tmp_path / "imported-marker").exists()
    assert not any(m.endswith("tricky") for m in sys.modules)


def test_validate_names_a_missing_module_and_a_broken_one(solvers_dir):
    with pytest.raises(SolverError, match=r"unknown solver 'nope:f': there is no solvers/nope.py"):
        SolverRef.parse("nope:f").validate()
    (solvers_dir / "broken.py").write_text("def ok():\n    return 1\n\ndef bad(:\n")
    with pytest.raises(SolverError, match=r"solvers/broken.py line 4 is not valid Python"):
        SolverRef.parse("broken:ok").validate()


def test_a_module_added_after_indexing_is_still_found(solvers_dir):
    (solvers_dir / "late.py").write_text("def answer():\n    return 42\n")
    SolverRef.parse("late:answer").validate()


def test_index_reads_unchanged_modules_from_the_cache(solvers_dir, tmp_path, monkeypatch):
    module = solvers_dir / "cached.py"
    module.write_text("def first():\n    return 1\n")
    cache_file = tmp_path / "cache.marshal"
    cache = ParsedDeckCache(cache_file)
    solver_ref.index_solvers(cache)
    cache.save()

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed although the module was cached")

    with monkeypatch.context() as patch:
        patch.setattr(ast, "parse", no_parsing)
        solver_ref.index_solvers(ParsedDeckCache(cache_file))
        SolverRef.parse("cached:first").validate()

    module.write_text("def second():\n    return 2\n")  # an edit is seen at the next load
    solver_ref.index_solvers(ParsedDeckCache(cache_file))
    SolverRef.parse("cached:second").validate()
    with pytest.raises(SolverError, match="has no function 'first'"):
        SolverRef.parse("cached:first").validate()


def test_resolve_imports_the_solver_function():
    function = SolverRef.parse("vit:patch_count").resolve()
    assert function(image_size=224, patch_size=16) == 196


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        (SolverRef("vit", "annotations"), "defines no function 'annotations'"),  # imported name
        (SolverRef("no_such_module", "f"), "cannot import solvers/no_such_module.py"),
    ],
)
def test_resolve_refuses_what_the_module_does_not_define(ref, why):
    with pytest.raises(SolverError, match=why):
        ref.resolve()


def test_source_is_the_function_text_read_from_its_file():
    source = SolverRef.parse("vit:patch_count").source()
    assert source.startswith("def patch_count(")
    assert SolverRef("vit", "no_such_function").source() == ""


def _undefined_names(source: str) -> set[str]:
    """Names the source reads that it neither defines, imports nor gets from builtins."""
    import ast
    import builtins

    tree = ast.parse(source)
    bound = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)  # arguments are ast.arg nodes, below
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used - bound


def test_a_shown_reference_brings_the_helpers_constants_and_imports_it_uses():
    from quizapp.decks.content import load_library
    from quizapp.decks.variants import solver_source

    shown = solver_source("masking:zero_weights")
    assert "def _scores(q, k):" in shown and "import math" in shown
    assert shown.index("def _scores") < shown.index("def zero_weights")
    assert "LARGE_NEGATIVE = " in solver_source("masking:large_negative_scores")
    for question in load_library().questions.values():
        if question.kind == "code":
            source = solver_source(question.reference)
            assert source and not _undefined_names(source), question.id
