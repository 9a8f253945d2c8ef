"""The domain must stay usable without a screen, and start-up must not pay for torch."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_domain_modules_do_not_import_textual():
    modules = _modules_after(
        "import quizapp.decks.content, quizapp.progress.store, quizapp.study.scheduler, quizapp.study.session, quizapp.study.stats,"
        " quizapp.study.insights, quizapp.study.planner, quizapp.study.exam_forecast, quizapp.study.fsrs_fit, quizapp.decks.variants, quizapp.decks.checker, quizapp.progress.backup,"
        " quizapp.progress.export,"
        " quizapp.study.numeric_answers, quizapp.grading.code, quizapp.decks.mathtext, quizapp.decks.anki_export"
    )
    assert "quizapp.study.session" in modules
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert "torch" not in modules  # torch lives in the grading worker and the solvers


def test_loading_the_decks_imports_neither_torch_nor_solvers():
    modules = _modules_after("from quizapp.decks.content import load_library; load_library()")
    assert "yaml" in modules
    assert "torch" not in modules
    assert not any(m.startswith("quizapp.solvers.") for m in modules)


def test_a_usual_start_imports_neither_yaml_nor_sqlite_utils(tmp_path):
    """After a first start (database created, decks cached), starting again reads decks and
    progress without PyYAML or sqlite-utils: together ~35 ms of every start."""
    db = tmp_path / "progress.db"
    _modules_after(
        "from quizapp.decks.content import load_library; from quizapp.progress.store import Store;"
        f" load_library(); Store({str(db)!r})"
    )
    again = (
        "from datetime import datetime, UTC; from quizapp.decks.content import load_library;"
        " from quizapp.progress.store import Store; from quizapp.study.scheduler import due_queue;"
        " import quizapp.tui.app, quizapp.tui.screens.home, quizapp.tui.screens.study;"
        f" library = load_library(); store = Store({str(db)!r}); store.cards();"
        " due_queue(library, store, datetime.now(UTC), new_per_day=20)"
    )
    modules = _modules_after(again)
    assert "quizapp.tui.screens.study" in modules
    assert "yaml" not in modules and "sqlite_utils" not in modules and "torch" not in modules
