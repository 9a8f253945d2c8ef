"""Read-only questions asked of the review log and the card table, as typed functions.

The store owns writes and card rows; figures (stats, weak topics, FSRS fitting, Browse's
history) ask their questions here, so every SQL string of the app lives in `progress/`
and "an answer succeeded" is defined once, in Python and in SQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.progress.store import Store, iso

# An answer succeeded: graded right, or (for self-rated kinds) rated above Again. Hard is a
# success, as it is for FSRS: the student recalled it, with effort.
SUCCEEDED_SQL = "coalesce(correct, rating > 1)"
ANSWERED_SQL = "(correct IS NOT NULL OR rating IS NOT NULL)"
AGAIN = 1


def succeeded(correct: bool | None, rating: int | None) -> bool:
    """The Python twin of SUCCEEDED_SQL, for answers not read from the database."""
    if correct is not None:
        return bool(correct)
    return rating is not None and rating > AGAIN


def recent_outcomes(store: Store, question_id: str, limit: int) -> list[tuple[str, bool]]:
    """(time, succeeded) of a question's last `limit` answers, newest first (indexed)."""
    sql = (
        f"SELECT reviewed_at, {SUCCEEDED_SQL} FROM reviews "
        f"WHERE question_id = ? AND {ANSWERED_SQL} ORDER BY reviewed_at DESC LIMIT ?"
    )
    return [(at, bool(ok)) for at, ok in store.execute(sql, [question_id, limit]).fetchall()]


def answers_per_day(
    store: Store, localtime: str, start: datetime, end: datetime
) -> dict[str, tuple[int, int, int, int]]:
    """Per local day (ISO date): (answers, successes, graded or rated answers, practice)."""
    sql = (
        f"SELECT date(reviewed_at, ?) AS day, count(*), "
        f"sum(CASE WHEN {ANSWERED_SQL} THEN {SUCCEEDED_SQL} ELSE 0 END), "
        f"sum({ANSWERED_SQL}), sum(mode = 'practice') "
        "FROM reviews WHERE reviewed_at >= ? AND reviewed_at <= ? GROUP BY day"
    )
    rows = store.execute(sql, [localtime, iso(start), iso(end)]).fetchall()
    return {
        day: (int(n), int(ok or 0), int(answered or 0), int(practice or 0))
        for day, n, ok, answered, practice in rows
    }


def cards_due_per_day(store: Store, localtime: str) -> list[tuple[str, int]]:
    """(local ISO date, cards) for every day some card falls due."""
    sql = "SELECT date(due, ?) AS day, count(*) FROM cards GROUP BY day"
    return [(day, int(n)) for day, n in store.execute(sql, [localtime]).fetchall()]


def answered_between(store: Store, start: datetime, end: datetime) -> bool:
    """Whether any answer was recorded in [start, end): one indexed probe."""
    sql = "SELECT 1 FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? LIMIT 1"
    return store.execute(sql, [iso(start), iso(end)]).fetchone() is not None


def answers_between(store: Store, start: datetime, end: datetime) -> int:
    sql = "SELECT count(*) FROM reviews WHERE reviewed_at >= ? AND reviewed_at <= ?"
    return int(store.execute(sql, [iso(start), iso(end)]).fetchone()[0])


def scheduled_outcomes_since(store: Store, since: datetime) -> dict[str, tuple[int, int]]:
    """(recalled, scheduled reviews) per question since `since`; practice is left out."""
    sql = (
        f"SELECT question_id, sum({SUCCEEDED_SQL}), count(*) FROM reviews "
        "WHERE reviewed_at >= ? AND mode = 'review' AND rating IS NOT NULL "
        "GROUP BY +question_id"  # walk the reviewed_at index, not every row per question
    )
    return {q: (int(ok), int(n)) for q, ok, n in store.execute(sql, [iso(since)]).fetchall()}


def lapsed_cards(store: Store, threshold: int) -> list[tuple[str, int]]:
    """(question id, lapses) of cards forgotten at least `threshold` times, most first."""
    sql = "SELECT question_id, lapses FROM cards WHERE lapses >= ? ORDER BY lapses DESC"
    return [(qid, int(n)) for qid, n in store.execute(sql, [threshold]).fetchall()]


def first_scheduled_reviews(
    store: Store, question_id: str, limit: int
) -> list[tuple[str, int, int | None]]:
    """(time, rating, duration in ms) of a card's first `limit` scheduled reviews."""
    sql = (
        "SELECT reviewed_at, rating, duration_ms FROM reviews "
        "WHERE question_id = ? AND mode = 'review' AND rating IS NOT NULL "
        "ORDER BY reviewed_at, id LIMIT ?"
    )
    rows = store.execute(sql, [question_id, limit]).fetchall()
    return [(at, int(rating), duration) for at, rating, duration in rows]


@dataclass(frozen=True)
class HistoryRow:
    reviewed_at: str
    mode: str
    succeeded: bool


@dataclass(frozen=True)
class QuestionHistory:
    answers: int
    succeeded: int
    latest: list[HistoryRow]


def question_history(store: Store, question_id: str, limit: int) -> QuestionHistory:
    """How often a question was answered, how often right, and its latest answers."""
    total, right = store.execute(
        f"SELECT count(*), sum({SUCCEEDED_SQL}) FROM reviews WHERE question_id = ?",
        [question_id],
    ).fetchone()
    rows = store.execute(
        "SELECT reviewed_at, mode, rating, correct FROM reviews WHERE question_id = ? "
        "ORDER BY reviewed_at DESC LIMIT ?",
        [question_id, limit],
    ).fetchall()
    latest = [HistoryRow(at, mode, succeeded(ok, rating)) for at, mode, rating, ok in rows]
    return QuestionHistory(int(total), int(right or 0), latest)
