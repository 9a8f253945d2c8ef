"""The domain must stay usable without a screen, and start-up must not pay for torch."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_domain_modules_do_not_import_textual():
    modules = _modules_after(
        "import quizapp.content, quizapp.store, quizapp.scheduler, quizapp.session, quizapp.stats,"
        " quizapp.insights, quizapp.personal, quizapp.variants, quizapp.checker, quizapp.backup,"
        " quizapp.grading.numeric, quizapp.grading.code, quizapp.mathtext, quizapp.anki"
    )
    assert "quizapp.session" in modules
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert "torch" not in modules  # torch lives in the grading worker and the solvers


def test_loading_the_decks_imports_neither_torch_nor_solvers():
    modules = _modules_after("from quizapp.content import load_library; load_library()")
    assert "yaml" in modules
    assert "torch" not in modules
    assert not any(m.startswith("solvers.") for m in modules)
