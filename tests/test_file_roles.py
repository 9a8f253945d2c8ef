"""Problems with a file the student named are reported under that file's role, and an Anki
package gets the permissions any new file gets."""

from __future__ import annotations

import os
import stat

import pytest

from quizapp.cli import main
from quizapp.decks.anki_export import export
from quizapp.decks.content import load_library
from quizapp.errors import FileRoleError, StoreError

from testkit import GOOD_DECKS


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err.strip()


def test_each_file_is_named_by_its_role(tmp_path, capsys):
    db = ["--db", str(tmp_path / "p.db")]
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    cases = [
        (
            ["export-progress", str(tmp_path / "no" / "x.json")],
            "quizapp: export file: cannot write",
        ),
        (["export-progress", str(tmp_path)], "quizapp: export file: "),
        (["import-progress", str(garbage)], "quizapp: import file: "),
        (["import-progress", str(tmp_path / "none.json")], "quizapp: import file: cannot read"),
        (["export-anki", str(tmp_path / "no" / "x.apkg")], "quizapp: Anki package "),
    ]
    for argv, says in cases:
        code, err = _run(capsys, *db, *argv)
        assert code in (1, 2) and err.startswith(says), (argv, err)
        assert "progress database" not in err
    taken = tmp_path / "taken.db"
    taken.write_text("")
    code, err = _run(capsys, *db, "backup", "--to", str(taken))
    assert code == 1 and err.startswith("quizapp: backup file: ") and "already exists" in err


def test_a_broken_progress_database_is_still_called_so(tmp_path, capsys):
    broken = tmp_path / "p.db"
    broken.write_text("this is not SQLite")
    code, err = _run(capsys, "--db", str(broken), "export-progress", str(tmp_path / "x.json"))
    assert code == 1 and err.startswith("quizapp: progress database: ")


def test_file_role_errors_are_store_errors_with_their_own_title():
    error = FileRoleError("Import file", "x.json is not a quizapp progress export")
    assert isinstance(error, StoreError) and error.title == "Import file"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_anki_package_follows_the_umask(tmp_path, umask, mode):
    library = load_library([GOOD_DECKS], bundled=False, cache=False)
    previous = os.umask(umask)
    try:
        export(library, tmp_path / "deck.apkg")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "deck.apkg").stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]  # no temporary file left


def test_anki_write_failure_names_the_package(tmp_path):
    library = load_library([GOOD_DECKS], bundled=False, cache=False)
    with pytest.raises(FileRoleError) as raised:
        export(library, tmp_path / "missing" / "deck.apkg")
    assert raised.value.title == "Anki package" and "deck.apkg" in raised.value.message
