"""The `quizapp` command as a user runs it: exit codes, JSON, one-line errors."""

import json
import subprocess
import sys

import pytest

from quizapp.cli import main
from quizapp.progress.store import Store


def test_list_as_json_with_topic_filter(capsys):
    assert main(["list", "--topic", "vit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["topic"] == "vit" for r in rows)
    assert {"id", "topic", "kind", "title"} == set(rows[0])
    assert any(r["id"] == "vit.attention-memory-pixels" for r in rows)


def test_list_unknown_topic_says_which_exist(capsys):
    assert main(["list", "--topic", "astrology"]) == 1
    assert "topics are:" in capsys.readouterr().out


def test_grade_numeric_records_unless_told_not_to(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert (
        main(["--db", str(db), "grade", "vit.attention-memory-pixels", "--answer", "8.8 TB"]) == 0
    )
    said = capsys.readouterr().out
    assert f"Recorded as a review (Good) in {db}; next review " in said and "--no-record" in said
    assert (
        main(
            ["grade", "vit.attention-memory-pixels", "--answer", "1 GB", "--db", str(db), "--json"]
        )
        == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert (
        data["id"] == "vit.attention-memory-pixels"
        and data["correct"] is False
        and data["recorded"]
    )
    assert (
        main(
            [
                "grade",
                "vit.attention-memory-pixels",
                "--answer",
                "8796 GB",
                "--db",
                str(db),
                "--no-record",
            ]
        )
        == 0
    )
    assert "Not recorded (--no-record)" in capsys.readouterr().out
    assert [r.correct for r in Store(db).reviews()] == [True, False]


def test_grade_errors_exit_2(tmp_path, capsys):
    db = ["--db", str(tmp_path / "p.db")]
    assert main([*db, "grade", "no.such-id", "--answer", "1"]) == 2
    assert main([*db, "grade", "vit.attention-memory-pixels"]) == 2
    assert main([*db, "grade", "vit.attention-memory-pixels", "--answer", "banana"]) == 2
    err = capsys.readouterr().err
    assert "unknown question id" in err and "--answer" in err


def test_check_reports_problems_as_file_line_id(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("topic: bad\nquestions:\n  - id: bad.x\n    kind: essay\n")
    assert main(["check", "--content", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.yaml'}:3: bad.x: unknown kind 'essay'" in out


def test_stats_json_counts_reviews(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    main(["--db", db, "grade", "vit.attention-memory-pixels", "--answer", "8.8 TB"])
    capsys.readouterr()
    assert main(["--db", db, "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reviews"] == 1
    vit = next(t for t in data["topics"] if t["topic"] == "vit")
    assert vit["seen"] == 1 and vit["accuracy"] == 1.0
    assert main(["--db", db, "stats"]) == 0
    assert "1 review · streak 1 day · " in capsys.readouterr().out  # not "1 days"


def test_corrupt_database_is_one_line_not_a_traceback(tmp_path):
    db = tmp_path / "p.db"
    db.write_bytes(b"\x00garbage" * 64)
    result = subprocess.run(
        [sys.executable, "-m", "quizapp.cli", "--db", str(db), "stats"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(db) in result.stderr and "left untouched" in result.stderr
    assert db.read_bytes() == b"\x00garbage" * 64


def test_usage_error_exits_2(capsys):
    assert main(["grade"]) == 2
    assert "which question?" in capsys.readouterr().err
    with pytest.raises(SystemExit) as err:
        main(["grade", "--no-such-flag"])
    assert err.value.code == 2
