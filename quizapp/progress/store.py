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
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from quizapp.errors import SaveFailed, StoreError
from quizapp.progress.backup import rolling_backup
from quizapp.progress.file_check import damaged_message, refuse_damaged_file
from quizapp.progress.migrations import MIGRATIONS
from quizapp.progress.misconception_log import undo_misconception_events
from quizapp.progress.rows import AttemptRow, CardRow, Mode, ReviewRow, iso, parse_iso

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


# Rows and the file check live in their own modules; importers of the store get them here.
__all__ = [
    "AttemptRow",
    "CardRow",
    "Mode",
    "ReviewRow",
    "Store",
    "iso",
    "parse_iso",
    "refuse_damaged_file",
]

SCHEMA_VERSION = 5  # the newest of MIGRATIONS (read here at open, so tests can hold it back)
BUSY_TIMEOUT_S = 15.0


def save_failure(path: Path, err: sqlite3.OperationalError) -> SaveFailed | None:
    """What a write that failed for a reason outside quizapp means, in words a student can
    act on; None for any other error (a bug, which should not be dressed up as this)."""
    where = f"Could not save to {path}"
    locked = f"another program kept it locked for {BUSY_TIMEOUT_S:.0f} s"
    reason = {
        sqlite3.SQLITE_BUSY: locked,
        sqlite3.SQLITE_LOCKED: locked,
        sqlite3.SQLITE_FULL: "the disk is full",
        sqlite3.SQLITE_READONLY: "the file or its folder is read-only",
        sqlite3.SQLITE_IOERR: "the disk reported an error",
    }.get(err.sqlite_errorcode & 0xFF)
    return None if reason is None else SaveFailed(f"{where}: {reason}.")


class Store:
    """Opens (creating or migrating) a progress database and reads/writes it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._writing = False  # inside write_transaction (on the thread holding _lock)
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
            raise StoreError(damaged_message(self.path, f"integrity check: {damage}"))
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
        A transaction opened inside another joins it: both are written, or neither.
        A failure from outside quizapp (locked past the timeout, disk full, read-only) is
        raised as SaveFailed, after the rollback.
        """
        with self._lock:
            if self._writing:
                yield  # nested: part of the transaction already open on this thread
                return
            conn = self.conn
            self._writing = True
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as err:
                failure = save_failure(self.path, err)
                if failure is None:
                    raise
                raise failure from err
            finally:
                self._writing = False

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
