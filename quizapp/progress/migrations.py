"""The progress database's schema, one migration per version.

Each migration is code that takes the file from the version before to its own; `Store`
runs the missing ones in order (after a backup) when it opens an older file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db.table("cards").create(
        {
            "question_id": str,
            "state": int,
            "step": int,
            "stability": float,
            "difficulty": float,
            "due": str,
            "last_review": str,
            "reps": int,
            "lapses": int,
            "introduced_at": str,
        },
        pk="question_id",
        not_null={"state", "due", "reps", "lapses", "introduced_at"},
    )
    db.table("cards").create_index(["due"])
    db.table("cards").create_index(["introduced_at"])
    db.table("reviews").create(
        {
            "id": int,
            "question_id": str,
            "reviewed_at": str,
            "rating": int,
            "correct": int,
            "answer": str,
            "duration_ms": int,
            "mode": str,
            "variant_seed": int,
        },
        pk="id",
        not_null={"question_id", "reviewed_at", "duration_ms", "mode"},
    )
    db.table("reviews").create_index(["question_id", "reviewed_at"])
    db.table("reviews").create_index(["reviewed_at"])
    db.table("attempts").create(
        {"id": int, "question_id": str, "at": str, "source": str, "status": str, "feedback": str},
        pk="id",
        not_null={"question_id", "at", "source", "status"},
    )
    db.table("attempts").create_index(["question_id", "at"])
    db.table("settings").create({"key": str, "value": str}, pk="key")
    # The review log is append-only: the database itself refuses edits and deletes.
    db.execute(
        "CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews "
        "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews "
        "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"
    )


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    """Mock exams: one row per exam and one per question, written as the student answers
    (see quizapp/progress/mock_exams.py), so a quit or crash mid-exam loses nothing."""
    db.table("mock_exams").create(
        {
            "id": int,
            "started_at": str,
            "mode": str,  # sheet | weak
            "seed": int,
            "time_limit_s": int,
            "used_ms": int,
            "position": int,
            "status": str,  # running | rating | done
            "ended_at": str,
            "ended_by": str,  # student | time
            "finished_at": str,
            "score": float,
            "max_score": float,
        },
        pk="id",
        not_null={"started_at", "mode", "seed", "time_limit_s", "used_ms", "position", "status"},
        defaults={"used_ms": 0, "position": 0, "status": "running"},
    )
    db.table("mock_exams").create_index(["status"])
    db.table("mock_answers").create(
        {
            "exam_id": int,
            "position": int,
            "question_id": str,
            "variant_seed": int,
            "points_max": float,
            "answer": str,
            "answered_at": str,
            "time_ms": int,
            "points": float,
            "correct": int,
            "diagnosis": str,
            "ticked": str,
            "review_id": int,
        },
        pk=("exam_id", "position"),
        not_null={"question_id", "points_max", "time_ms"},
        defaults={"time_ms": 0},
        foreign_keys=[("exam_id", "mock_exams", "id")],
    )


def _migrate_to_3(db: sqlite_utils.Database) -> None:
    """Undo of an answer (Anki's undo): the newest review of a card may be deleted, and only
    while a row for it is in `undo_permits`, which `Store.undo_review` writes and clears in
    the same transaction. Everything else stays append-only, so statistics never see an
    undone answer and nothing else can erase history."""
    db.table("undo_permits").create({"review_id": int}, pk="review_id")
    db.execute("DROP TRIGGER reviews_append_only_delete")
    db.execute(
        "CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews "
        "WHEN NOT EXISTS (SELECT 1 FROM undo_permits WHERE review_id = OLD.id) "
        "OR EXISTS (SELECT 1 FROM reviews AS later WHERE later.question_id = OLD.question_id "
        "AND (later.reviewed_at > OLD.reviewed_at "
        "OR (later.reviewed_at = OLD.reviewed_at AND later.id > OLD.id))) "
        "OR EXISTS (SELECT 1 FROM mock_answers WHERE review_id = OLD.id) "
        "BEGIN SELECT RAISE(ABORT, 'the review log is append-only "
        "(only the newest answer of a card can be undone)'); END"
    )


def _migrate_to_4(db: sqlite_utils.Database) -> None:
    """Misconceptions (quizapp/progress/misconception_log.py): one event per misconception an
    answer showed ("seen") or, for one seen before, per later answer where the slip was
    possible ("right"/"wrong"); and each open misconception's own FSRS card. An event keeps
    the card as it was before, so undoing the answer puts both back."""
    db.table("misconception_events").create(
        {
            "id": int,
            "misconception_id": str,
            "question_id": str,
            "at": str,
            "kind": str,  # seen | right | wrong
            "source": str,  # review | practice | drill | shell | mock
            "review_id": int,
            "previous_card": str,  # the misconception's card JSON before this event
        },
        pk="id",
        not_null={"misconception_id", "question_id", "at", "kind", "source"},
    )
    db.table("misconception_events").create_index(["misconception_id", "at"])
    db.table("misconception_events").create_index(["review_id"])
    db.table("misconception_cards").create(
        {"misconception_id": str, "card": str, "due": str}, pk="misconception_id"
    )


def _migrate_to_5(db: sqlite_utils.Database) -> None:
    """Drafts: the unchecked text of the question on screen, saved as the student types,
    so closing the app mid-question loses nothing. One row per question, replaced on
    every save and deleted once the question is answered."""
    db.table("drafts").create({"question_id": str, "saved_at": str, "text": str}, pk="question_id")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
}
