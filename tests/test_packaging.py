"""quizapp installs one top-level package: solvers/ and content/ keep their folders at the
top of the repository but are imported as `quizapp.solvers` and `quizapp.bundled_decks`, so an
install adds no generic names (`solvers`, `content`) that could clash with other packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_the_build():
    """`packages` is an explicit list (a mapped folder cannot be found by a search), so a
    new subpackage left out of it would be missing from every wheel."""
    roots = {"quizapp": ROOT / "quizapp"}
    roots |= {name: ROOT / folder for name, folder in SETUPTOOLS["package-dir"].items()}
    found = set()
    for name, folder in roots.items():
        for init in folder.rglob("__init__.py"):
            found.add(".".join([name, *init.parent.relative_to(folder).parts]))
    assert found == set(SETUPTOOLS["packages"])


def test_the_installed_names_resolve_to_the_repository_folders(tmp_path):
    """As the editable install (README, CI) sees it, from a folder outside the checkout."""
    code = (
        "import importlib.util, quizapp.solvers.vit, quizapp.bundled_decks\n"
        "from quizapp import locations\n"
        "print(quizapp.solvers.vit.__file__, locations.bundled_content_dir(),"
        " importlib.util.find_spec('solvers'), importlib.util.find_spec('content'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    solver_file, decks, solvers_spec, content_spec = out.stdout.split()
    assert Path(solver_file) == ROOT / "solvers" / "vit.py"
    assert Path(decks) == ROOT / "content"
    assert (solvers_spec, content_spec) == ("None", "None")


@pytest.mark.slow
def test_the_wheel_holds_only_quizapp(tmp_path):
    pytest.importorskip("setuptools")
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("quizapp", "solvers", "content"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation"]
        + ["--quiet", "-w", str(tmp_path / "wheel")],
        check=True,
    )
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {
        "quizapp",
        wheel.name.split("-py")[0] + ".dist-info",
    }
    for expected in (
        "quizapp/solvers/vit.py",
        "quizapp/bundled_decks/vit.yaml",
        "quizapp/bundled_decks/misconceptions.yaml",
        "quizapp/decks/content.py",
        "quizapp/tui/app.tcss",
    ):
        assert expected in names
