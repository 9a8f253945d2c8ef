"""The JSON export follows the store's row dataclasses, and file backups stand alone."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from quizapp.progress import export as progress_export
from quizapp.progress.store import AttemptRow, CardRow, ReviewRow, Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _store_with_one_of_each(path) -> Store:
    store = Store(path)
    card = CardRow("a.q", 2, None, 3.2, 5.1, NOW, NOW, 1, 0, NOW)
    store.record(ReviewRow("a.q", NOW, 3, True, "42", 1200, variant_seed=7), card)
    store.record_attempt("a.q", NOW, "def f(): ...", "incorrect", "case 1 differs")
    return store


def test_every_dataclass_field_is_exported_in_order(tmp_path):
    data = progress_export.export_progress(_store_with_one_of_each(tmp_path / "p.db"))
    for table, row_type in (("cards", CardRow), ("reviews", ReviewRow), ("attempts", AttemptRow)):
        (row,) = data[table]
        assert list(row) == [f.name for f in dataclasses.fields(row_type)]
    assert data["reviews"][0]["mode"] == "review" and data["reviews"][0]["correct"] == 1


def test_a_field_added_to_a_row_dataclass_is_exported_and_checked(monkeypatch):
    @dataclasses.dataclass(frozen=True)
    class Wider(AttemptRow):
        runtime_ms: int | None = None

    columns = progress_export._fields_of(Wider)
    assert columns[-1] == progress_export.Field("runtime_ms", int, required=False)
    monkeypatch.setitem(progress_export.TABLES, "attempts", columns)
    row = {"question_id": "a.q", "at": "2026-11-02T09:00:00+00:00", "source": "", "status": "x"}
    with pytest.raises(ValueError, match=r"attempts\[0\].runtime_ms must be a whole number"):
        progress_export.validate_export(
            {"format": "quizapp-progress", "version": 1, "attempts": [{**row, "runtime_ms": "5"}]}
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "exam"}, r"reviews\[0\].mode must be one of review, practice"),
        ({"reviewed_at": None}, r"reviews\[0\] is missing 'reviewed_at'"),
        ({"correct": "yes"}, r"reviews\[0\].correct must be a whole number"),
        ({"reviewed_at": "tuesday"}, r"reviews\[0\].reviewed_at is not a timestamp"),
    ],
)
def test_import_refuses_a_review_the_dataclass_would_not_hold(tmp_path, change, message):
    data = progress_export.export_progress(_store_with_one_of_each(tmp_path / "p.db"))
    data["reviews"][0].update(change)
    with pytest.raises(ValueError, match=message):
        progress_export.validate_export(data)


def test_a_review_without_answer_text_still_imports(tmp_path):
    data = progress_export.export_progress(_store_with_one_of_each(tmp_path / "p.db"))
    data["reviews"][0]["answer"] = None  # older databases hold NULL here
    summary = progress_export.import_progress(Store(tmp_path / "other.db"), data)
    assert summary.reviews_added == 1 and summary.cards_added == 1


def test_file_backups_do_not_import_the_store():
    code = "import sys, quizapp.progress.backup; print('quizapp.progress.store' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
