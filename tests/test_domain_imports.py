"""The domain must stay usable without a screen, and start-up must not pay for torch."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


# The front ends (Textual, IPython, the CLI that starts them) and the worker (the torch side).
FRONT_ENDS = ("quizapp.tui", "quizapp.jupyter", "quizapp.commands", "quizapp.cli")
TORCH_SIDE = tuple(
    f"quizapp.grading.{name}"
    for name in (
        "child_run",
        "compare",
        "feedback",
        "results",
        "sandbox",
        "wire",
        "worker",
        "zygote",
    )
)


def _domain_modules() -> list[str]:
    """Every module of the package but the front ends: found by walking it, so a new
    domain module is checked without being listed here."""
    import pkgutil

    import quizapp

    found = []
    for info in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
        name = info.name
        if name == "quizapp.__main__" or any(
            name == front or name.startswith(front + ".") for front in FRONT_ENDS
        ):
            continue
        found.append(name)
    return found


def test_domain_modules_do_not_import_textual():
    domain = _domain_modules()
    assert "quizapp.study.session" in domain and "quizapp.progress.store" in domain
    modules = _modules_after("import " + ", ".join(domain))
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert not any(m == "IPython" or m.startswith("IPython.") for m in modules)


def test_domain_modules_do_not_import_torch():
    """torch lives in the grading worker and the solvers; the app never pays for it."""
    light = [name for name in _domain_modules() if name not in TORCH_SIDE]
    modules = _modules_after("import " + ", ".join(light))
    assert "torch" not in modules, [m for m in light if m.startswith("quizapp.grading")]


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
