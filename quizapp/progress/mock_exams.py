"""Mock exams in the progress database (tables `mock_exams`, `mock_answers`, schema v2).

Every change is written the moment it happens, each in its own short transaction, so the
database always holds the exam as far as the student got: the answers given, the time
used, the question on screen. The results enter the review log together with the exam's
final status in one transaction, so they are recorded exactly once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from quizapp.progress.store import CardRow, ReviewRow, Store, iso, parse_iso

if TYPE_CHECKING:
    from quizapp.mock.assemble import Planned


class ExamStatus(StrEnum):
    RUNNING = "running"  # being sat
    RATING = "rating"  # ended; open answers wait for the student's self-ratings
    DONE = "done"  # scored


class ExamMode(StrEnum):
    SHEET = "sheet"  # like the exercise sheet
    WEAK = "weak"  # weighted towards weak topics


class EndedBy(StrEnum):
    STUDENT = "student"
    TIME = "time"


RUNNING, RATING, DONE = ExamStatus.RUNNING, ExamStatus.RATING, ExamStatus.DONE


@dataclass(frozen=True)
class ExamRow:
    id: int
    started_at: datetime
    mode: ExamMode
    seed: int
    time_limit_s: int
    used_ms: int
    position: int
    status: ExamStatus
    ended_at: datetime | None
    ended_by: EndedBy | None
    finished_at: datetime | None
    score: float | None
    max_score: float | None


@dataclass(frozen=True)
class AnswerRow:
    position: int
    question_id: str
    variant_seed: int | None
    points_max: float
    answer: str | None  # None until the student gives one
    answered_at: datetime | None
    time_ms: int
    points: float | None  # None until scored (code: graded; open: self-rated)
    correct: bool | None
    diagnosis: str | None
    ticked: tuple[int, ...] | None  # open questions: rubric points the student covered
    review_id: int | None


def _time(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


def _exam(row: dict) -> ExamRow:
    return ExamRow(
        id=row["id"],
        started_at=parse_iso(row["started_at"]),
        mode=ExamMode(row["mode"]),
        seed=row["seed"],
        time_limit_s=row["time_limit_s"],
        used_ms=row["used_ms"],
        position=row["position"],
        status=ExamStatus(row["status"]),
        ended_at=_time(row["ended_at"]),
        ended_by=EndedBy(row["ended_by"]) if row["ended_by"] else None,
        finished_at=_time(row["finished_at"]),
        score=row["score"],
        max_score=row["max_score"],
    )


def _answer(row: dict) -> AnswerRow:
    return AnswerRow(
        position=row["position"],
        question_id=row["question_id"],
        variant_seed=row["variant_seed"],
        points_max=row["points_max"],
        answer=row["answer"],
        answered_at=_time(row["answered_at"]),
        time_ms=row["time_ms"],
        points=row["points"],
        correct=None if row["correct"] is None else bool(row["correct"]),
        diagnosis=row["diagnosis"],
        ticked=tuple(json.loads(row["ticked"])) if row["ticked"] else None,
        review_id=row["review_id"],
    )


# -- reading -------------------------------------------------------------------------------


def exam(store: Store, exam_id: int) -> ExamRow | None:
    rows = store.rows("SELECT * FROM mock_exams WHERE id = ?", [exam_id])
    return _exam(rows[0]) if rows else None


def answers(store: Store, exam_id: int) -> list[AnswerRow]:
    sql = "SELECT * FROM mock_answers WHERE exam_id = ? ORDER BY position"
    return [_answer(r) for r in store.rows(sql, [exam_id])]


def unfinished(store: Store) -> ExamRow | None:
    """The latest exam not yet done (running, or ended and waiting for self-ratings)."""
    sql = "SELECT * FROM mock_exams WHERE status != ? ORDER BY id DESC LIMIT 1"
    rows = store.rows(sql, [DONE])
    return _exam(rows[0]) if rows else None


def exams(store: Store, *, status: str | None = None) -> list[ExamRow]:
    """Exams oldest first (optionally only those with `status`)."""
    where, args = ("WHERE status = ?", [status]) if status else ("", [])
    return [_exam(r) for r in store.rows(f"SELECT * FROM mock_exams {where} ORDER BY id", args)]


def latest_ended_id(store: Store) -> int | None:
    """The newest exam that has ended (finished, or waiting for self-ratings)."""
    row = store.execute(
        "SELECT id FROM mock_exams WHERE status != ? ORDER BY id DESC LIMIT 1", [RUNNING]
    ).fetchone()
    return row[0] if row else None


def recent_question_ids(store: Store, exams_back: int = 2) -> frozenset[str]:
    """Questions asked in the last few exams: a new exam avoids them while it can."""
    sql = (
        "SELECT question_id FROM mock_answers WHERE exam_id IN "
        "(SELECT id FROM mock_exams ORDER BY id DESC LIMIT ?)"
    )
    return frozenset(r[0] for r in store.execute(sql, [exams_back]).fetchall())


# -- writing -------------------------------------------------------------------------------


def create(
    store: Store,
    started_at: datetime,
    mode: ExamMode,
    seed: int,
    time_limit_s: int,
    planned: list[Planned],
) -> int:
    """The exam and all its (still unanswered) questions, in one transaction."""
    with store.write_transaction():
        cursor = store.execute(
            "INSERT INTO mock_exams (started_at, mode, seed, time_limit_s) VALUES (?, ?, ?, ?)",
            [iso(started_at), mode, seed, time_limit_s],
        )
        exam_id = int(cursor.lastrowid or 0)  # always set after an INSERT
        for position, plan in enumerate(planned):
            store.execute(
                "INSERT INTO mock_answers (exam_id, position, question_id, variant_seed, "
                "points_max) VALUES (?, ?, ?, ?, ?)",
                [exam_id, position, plan.question_id, plan.variant_seed, plan.points],
            )
    return exam_id


def save_answer(
    store: Store, exam_id: int, position: int, answer: str | None, at: datetime
) -> None:
    with store.write_transaction():
        store.execute(
            "UPDATE mock_answers SET answer = ?, answered_at = ? WHERE exam_id = ? AND position = ?",
            [answer, iso(at) if answer is not None else None, exam_id, position],
        )


def save_time(
    store: Store, exam_id: int, *, used_ms: int, position: int, spent: dict[int, int]
) -> None:
    """Time used so far, the question on screen, and time spent per question."""
    with store.write_transaction():
        store.execute(
            "UPDATE mock_exams SET used_ms = ?, position = ? WHERE id = ?",
            [int(used_ms), position, exam_id],
        )
        for where, time_ms in spent.items():
            store.execute(
                "UPDATE mock_answers SET time_ms = ? WHERE exam_id = ? AND position = ?",
                [int(time_ms), exam_id, where],
            )


@dataclass(frozen=True)
class Score:
    position: int
    points: float
    correct: bool | None
    diagnosis: str = ""
    ticked: tuple[int, ...] | None = None


def save_scores(store: Store, exam_id: int, scores: list[Score]) -> None:
    with store.write_transaction():
        _write_scores(store, exam_id, scores)


def _write_scores(store: Store, exam_id: int, scores: list[Score]) -> None:
    for s in scores:
        store.execute(
            "UPDATE mock_answers SET points = ?, correct = ?, diagnosis = ?, ticked = ? "
            "WHERE exam_id = ? AND position = ?",
            [
                s.points,
                None if s.correct is None else int(s.correct),
                s.diagnosis or None,
                json.dumps(list(s.ticked)) if s.ticked is not None else None,
                exam_id,
                s.position,
            ],
        )


def end(
    store: Store, exam_id: int, at: datetime, by: str, used_ms: int, scores: list[Score]
) -> None:
    """Time is up or the student handed in: what can be scored at once is, in one go."""
    with store.write_transaction():
        store.execute(
            "UPDATE mock_exams SET status = ?, ended_at = ?, ended_by = ?, used_ms = ? "
            "WHERE id = ? AND status = ?",
            [RATING, iso(at), by, int(used_ms), exam_id, RUNNING],
        )
        _write_scores(store, exam_id, scores)


def finish(
    store: Store,
    exam_id: int,
    at: datetime,
    reviews: list[tuple[int, ReviewRow, CardRow | None]],
    score: float,
    max_score: float,
) -> None:
    """The results become reviews and the exam is done, all or nothing."""
    with store.write_transaction():
        status = store.execute("SELECT status FROM mock_exams WHERE id = ?", [exam_id]).fetchone()
        if status is None or status[0] != RATING:
            return  # already recorded (another window finished it first)
        for position, review, card in reviews:
            review_id = store.insert_review(review, card)
            store.execute(
                "UPDATE mock_answers SET review_id = ? WHERE exam_id = ? AND position = ?",
                [review_id, exam_id, position],
            )
        store.execute(
            "UPDATE mock_exams SET status = ?, finished_at = ?, score = ?, max_score = ? "
            "WHERE id = ?",
            [DONE, iso(at), score, max_score, exam_id],
        )


def clock_text(seconds: float) -> str:
    """m:ss, rounded up so 0:01 shows until the very end."""
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


def resume_hint(store: Store) -> str:
    """One line for Home when an exam waits to be resumed ('' when none does).

    Here rather than with the exam logic so that Home, which asks on every refresh, does
    not import the exam machinery (variants, grading) before the first paint."""
    open_exam = unfinished(store)
    if open_exam is None:
        return ""
    if open_exam.status == RUNNING:
        left = clock_text(open_exam.time_limit_s - open_exam.used_ms / 1000)
        return f"Unfinished mock exam ({left} left): press m to resume it."
    return "Your last mock exam waits for you to rate your open answers: press m."
