"""The student's progress in one SQLite file: card states, the review log, code attempts.

Writes that belong together (a review and the card state it produces) go in one
transaction, so a crash leaves either both or neither. The review log is append-only.
Rows for questions that no longer exist in the decks are kept, never deleted.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from quizapp.errors import StoreError
from quizapp.progress.backup import rolling_backup
from quizapp.progress.misconception_log import undo_misconception_events

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

    import sqlite_utils


def _import_sqlite_utils() -> ModuleType:
    """Import sqlite-utils without letting it pull in pandas and numpy.

    It imports them only to map their scalar types to column types; quizapp never stores
    such values, and skipping them saves about 0.3 s of start-up. It is imported on the
    first write or migration, not at start-up: reads are plain SQL, and its import (with
    click, dateutil and pluggy) would add ~25 ms before the first question shows.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # None makes `import name` fail
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            del sys.modules[name]
    return sqlite_utils


SCHEMA_VERSION = 5
BUSY_TIMEOUT_S = 15.0


def iso(moment: datetime) -> str:
    """UTC timestamps in one fixed-width format, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class CardRow:
    """What the scheduler needs to know about one question's card."""

    question_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    introduced_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CardRow:
        return cls(
            question_id=row["question_id"],
            state=row["state"],
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=parse_iso(row["due"]),
            last_review=parse_iso(row["last_review"]) if row["last_review"] else None,
            reps=row["reps"],
            lapses=row["lapses"],
            introduced_at=parse_iso(row["introduced_at"]),
        )

    def to_row(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": iso(self.due),
            "last_review": iso(self.last_review) if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "introduced_at": iso(self.introduced_at),
        }


class Mode(StrEnum):
    """How an answer was given: in a review it moves the FSRS schedule; in practice (weak
    topics, browse, cram) it only counts for statistics."""

    REVIEW = "review"
    PRACTICE = "practice"

    @classmethod
    def read(cls, stored: str) -> Mode:
        """A stored mode; one this version does not know (an imported file) reads as
        practice, which never touches the schedule."""
        try:
            return cls(stored)
        except ValueError:
            return cls.PRACTICE


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review log."""

    question_id: str
    reviewed_at: datetime
    rating: int | None  # 1..4 (fsrs.Rating); None when nothing was rated
    correct: bool | None  # None for self-rated kinds
    answer: str
    duration_ms: int
    mode: Mode = Mode.REVIEW
    variant_seed: int | None = None


@dataclass(frozen=True)
class AttemptRow:
    """One check of a code answer (the columns of the attempts table)."""

    question_id: str
    at: datetime
    source: str
    status: str  # a CodeVerdict status
    feedback: str


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


MIGRATIONS = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
}
SQLITE_MAGIC = b"SQLite format 3\x00"


def _damaged_message(path: Path, why: str) -> str:
    backups = path.with_name(path.name + ".backups")
    restore = (
        f"copy the newest file from {backups} over it"
        if backups.is_dir()
        else "restore it from a copy"
    )
    return (
        f"{path} is damaged ({why}). It was left untouched; {restore}, "
        "or move it aside and start with --db pointing to another file."
    )


def refuse_damaged_file(path: Path) -> None:
    """Read the SQLite header ourselves, so a foreign or cut-off file is never opened by
    SQLite (which would create -wal/-shm files beside it). An empty file is a new database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror}") from None
    if not header:
        return
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{path} is not a quizapp progress database (not an SQLite file). It was left "
            "untouched; move it aside or start with --db pointing to another file."
        )
    if len(header) < 100:
        raise StoreError(_damaged_message(path, f"only {size} bytes long"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    if header_valid and pages and page_size * pages > size:
        raise StoreError(
            _damaged_message(path, f"cut off: {size} of {page_size * pages} bytes present")
        )


class Store:
    """Opens (creating or migrating) a progress database and reads/writes it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self.conn = self._open()

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils' view of the same connection, for writes and schema changes."""
        return _import_sqlite_utils().Database(self.conn, execute_plugins=False)

    def execute(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, list(args))

    def rows(self, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _open(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:":
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a directory; give a file path with --db")
            if self.path.exists() and not self.path.is_file():
                raise StoreError(f"{self.path} is not a regular file; give a file path with --db")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create {self.path.parent}: {err.strerror}") from None
            refuse_damaged_file(self.path)
        conn = None
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            damage = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as err:
            if conn is not None:
                conn.close()
            raise StoreError(
                f"{self.path} is not a quizapp progress database ({err}). It was left untouched; "
                "move it aside or start with --db pointing to another file."
            ) from None
        if damage != "ok":
            conn.close()
            raise StoreError(_damaged_message(self.path, f"integrity check: {damage}"))
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{self.path} was written by a newer quizapp (schema {version}, this one knows "
                f"{SCHEMA_VERSION}). It was left untouched; upgrade quizapp to open it."
            )
        if version == 0 and tables:
            conn.close()
            raise StoreError(
                f"{self.path} is an SQLite database but not a quizapp one. It was left untouched; "
                "choose another file with --db."
            )
        try:
            if not self.is_memory:
                conn.execute("PRAGMA journal_mode=wal")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self.conn = conn
            self._migrate(version)
        except sqlite3.DatabaseError as err:
            conn.close()
            raise StoreError(f"cannot open {self.path}: {err}") from None
        return conn

    @property
    def is_memory(self) -> bool:
        return str(self.path) == ":memory:"

    def _migrate(self, version: int) -> None:
        if 0 < version < SCHEMA_VERSION and not self.is_memory:
            rolling_backup(self.conn, self.path, reason=f"before-v{SCHEMA_VERSION}")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.db.atomic():
                MIGRATIONS[target](self.db)
                self.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """One write transaction, taken with BEGIN IMMEDIATE.

        A deferred BEGIN that later needs the write lock fails at once with "database is
        locked" when another process wrote in between; IMMEDIATE waits for the lock (up to
        the busy timeout) before reading anything, so concurrent instances just queue up.
        """
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    # -- cards -----------------------------------------------------------------------------

    def card(self, question_id: str) -> CardRow | None:
        rows = self.rows("SELECT * FROM cards WHERE question_id = ?", [question_id])
        return CardRow.from_row(rows[0]) if rows else None

    def cards(self) -> dict[str, CardRow]:
        return {r["question_id"]: CardRow.from_row(r) for r in self.rows("SELECT * FROM cards")}

    def due_ids(self, now: datetime, limit: int | None = None) -> list[str]:
        """Ids of cards due at `now`, most overdue first."""
        sql = "SELECT question_id FROM cards WHERE due <= ? ORDER BY due"
        args: list[Any] = [iso(now)]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [r[0] for r in self.execute(sql, args).fetchall()]

    def introduced_since(self, moment: datetime) -> int:
        sql = "SELECT count(*) FROM cards WHERE introduced_at >= ?"
        return self.execute(sql, [iso(moment)]).fetchone()[0]

    def known_ids(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT question_id FROM cards").fetchall()}

    # -- writes ----------------------------------------------------------------------------

    def record(self, review: ReviewRow, card: CardRow | None = None) -> int:
        """Append a review and (for scheduled reviews) the new card state, atomically."""
        with self.write_transaction():
            return self.insert_review(review, card)

    def insert_review(self, review: ReviewRow, card: CardRow | None = None) -> int:
        """The writes of `record`, for a caller that already holds `write_transaction()`
        and has more to write in the same transaction (a mock exam's results)."""
        # Plain SQL: every answer passes here, and sqlite-utils' insert/upsert re-read the
        # table schema each call (about 1 ms per answer; this takes a tenth of that).
        cursor = self.execute(
            "INSERT INTO reviews (question_id, reviewed_at, rating, correct, answer, "
            "duration_ms, mode, variant_seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                review.question_id,
                iso(review.reviewed_at),
                review.rating,
                None if review.correct is None else int(review.correct),
                review.answer,
                int(review.duration_ms),
                str(review.mode),
                review.variant_seed,
            ],
        )
        if card is not None:
            row = card.to_row()
            names = ", ".join(row)
            updates = ", ".join(
                f"{name} = excluded.{name}" for name in row if name != "question_id"
            )
            self.execute(
                f"INSERT INTO cards ({names}) VALUES ({', '.join('?' * len(row))}) "
                f"ON CONFLICT(question_id) DO UPDATE SET {updates}",
                row.values(),
            )
        return cast(int, cursor.lastrowid)

    def undo_review(
        self, review_id: int, question_id: str, previous: CardRow | None, *, scheduled: bool
    ) -> bool:
        """Take back the newest answer of a card: delete its review and, if the answer moved
        the schedule (`scheduled`), put the card state back as it was before (`previous`;
        None = the card was new, so it is new again and no longer counts as introduced).

        Returns False, changing nothing, when the review is no longer the card's newest
        (answered again meanwhile, say in another window) or is gone.
        """
        with self.write_transaction():
            newest = self.execute(
                "SELECT id FROM reviews WHERE question_id = ? "
                "ORDER BY reviewed_at DESC, id DESC LIMIT 1",
                [question_id],
            ).fetchone()
            if newest is None or newest[0] != review_id:
                return False
            undo_misconception_events(self, review_id)
            self.execute("INSERT INTO undo_permits (review_id) VALUES (?)", [review_id])
            self.execute("DELETE FROM reviews WHERE id = ?", [review_id])
            self.execute("DELETE FROM undo_permits WHERE review_id = ?", [review_id])
            if scheduled and previous is None:
                self.execute("DELETE FROM cards WHERE question_id = ?", [question_id])
            elif scheduled and previous is not None:
                self.db.table("cards").upsert(previous.to_row(), pk="question_id")
        return True

    def record_attempt(
        self, question_id: str, at: datetime, source: str, status: str, feedback: str
    ) -> None:
        # Plain SQL: a failed check from the shell (`quizapp grade`, one process per check)
        # then never imports sqlite-utils, about 60 ms of CPU per call.
        with self.write_transaction():
            self.execute(
                "INSERT INTO attempts (question_id, at, source, status, feedback) "
                "VALUES (?, ?, ?, ?, ?)",
                [question_id, iso(at), source, status, feedback],
            )

    def last_attempt(self, question_id: str) -> str | None:
        sql = "SELECT source FROM attempts WHERE question_id = ? ORDER BY at DESC, id DESC LIMIT 1"
        row = self.execute(sql, [question_id]).fetchone()
        return row[0] if row else None

    def failed_checks_since(self, question_id: str, since: datetime) -> int:
        """Code checks of `question_id` at or after `since` that did not pass."""
        sql = "SELECT count(*) FROM attempts WHERE question_id = ? AND at >= ? AND status != ?"
        return self.execute(sql, [question_id, iso(since), "correct"]).fetchone()[0]

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, question_id: str, text: str, at: datetime) -> None:
        """Keep the unchecked text of a question (replacing any earlier draft of it)."""
        with self.write_transaction():
            self.execute(
                "INSERT INTO drafts (question_id, saved_at, text) VALUES (?, ?, ?) "
                "ON CONFLICT(question_id) DO UPDATE SET saved_at = excluded.saved_at, "
                "text = excluded.text",
                [question_id, iso(at), text],
            )

    def draft(self, question_id: str) -> str | None:
        row = self.execute(
            "SELECT text FROM drafts WHERE question_id = ?", [question_id]
        ).fetchone()
        return row[0] if row else None

    def clear_draft(self, question_id: str) -> None:
        with self.write_transaction():
            self.execute("DELETE FROM drafts WHERE question_id = ?", [question_id])

    # -- reviews ---------------------------------------------------------------------------

    def last_review_at(self, question_id: str) -> datetime | None:
        """When `question_id` last had a review that moved its schedule (None: never)."""
        sql = "SELECT max(reviewed_at) FROM reviews WHERE question_id = ? AND mode = ?"
        row = self.execute(sql, [question_id, Mode.REVIEW.value]).fetchone()
        return parse_iso(row[0]) if row and row[0] else None

    def reviews(
        self, question_id: str | None = None, *, since: datetime | None = None
    ) -> list[ReviewRow]:
        clauses, args = [], []
        if question_id is not None:
            clauses.append("question_id = ?")
            args.append(question_id)
        if since is not None:
            clauses.append("reviewed_at >= ?")
            args.append(iso(since))
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        sql = f"SELECT * FROM reviews{where} ORDER BY reviewed_at, id"
        return [
            ReviewRow(
                question_id=r["question_id"],
                reviewed_at=parse_iso(r["reviewed_at"]),
                rating=r["rating"],
                correct=None if r["correct"] is None else bool(r["correct"]),
                answer=r["answer"] or "",
                duration_ms=r["duration_ms"],
                mode=Mode.read(r["mode"]),
                variant_seed=r["variant_seed"],
            )
            for r in self.rows(sql, args)
        ]

    def answered_before(self, question_id: str) -> bool:
        sql = "SELECT 1 FROM reviews WHERE question_id = ? LIMIT 1"
        return self.execute(sql, [question_id]).fetchone() is not None

    def recent_durations(self, limit: int = 5000) -> list[tuple[str, int]]:
        """(question id, milliseconds) of the newest scheduled answers, newest first."""
        sql = (
            "SELECT question_id, duration_ms FROM reviews WHERE mode = ? "
            "ORDER BY reviewed_at DESC, id DESC LIMIT ?"
        )
        return [(r[0], int(r[1])) for r in self.execute(sql, [Mode.REVIEW, limit]).fetchall()]

    def first_ratings(self) -> dict[int, int]:
        """How many cards got each rating at their first scheduled answer (the one at the
        card's `introduced_at`: one index lookup per card, however long the log)."""
        sql = (
            "SELECT r.rating, count(*) FROM cards AS c JOIN reviews AS r "
            "ON r.question_id = c.question_id AND r.reviewed_at = c.introduced_at "
            "WHERE r.mode = ? AND r.rating IS NOT NULL GROUP BY r.rating"
        )
        return {int(r[0]): int(r[1]) for r in self.execute(sql, [Mode.REVIEW]).fetchall()}

    def seconds_answering_since(self, moment: datetime) -> float:
        """Seconds spent answering (any mode) from `moment` on: today's minutes so far."""
        sql = "SELECT coalesce(sum(duration_ms), 0) FROM reviews WHERE reviewed_at >= ?"
        return self.execute(sql, [iso(moment)]).fetchone()[0] / 1000

    def review_count(self) -> int:
        return self.execute("SELECT count(*) FROM reviews").fetchone()[0]

    # -- settings --------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.write_transaction():
            self.db.table("settings").upsert({"key": key, "value": json.dumps(value)}, pk="key")

    def insert_reviews(self, rows: Iterable[dict[str, Any]], batch_size: int = 5000) -> None:
        """Bulk insert of raw review rows (benchmarks, imports)."""
        with self.write_transaction():
            self.db.table("reviews").insert_all(rows, batch_size=batch_size)
