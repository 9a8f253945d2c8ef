"""Class exports read back: checked, and turned into one list of answers per student.

Every file is an instructor's input from many hands, so a wrong one is named with what
is wrong, never a traceback; nothing in it is trusted to be well-formed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.errors import IMPORT_FILE, FileRoleError
from quizapp.progress.class_export import FORMAT, VERSION

MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class Answer:
    """One graded answer or code check: success or not, and what was answered."""

    question_id: str
    success: bool
    answer: str | None = None  # the short answer, when the export has it
    variant_seed: int | None = None


@dataclass
class Student:
    pseudonym: str
    exported_on: str
    answers: list[Answer] = field(default_factory=list)
    misconceptions: list[tuple[str, str]] = field(default_factory=list)  # (question, id)
    kinds: dict[str, str] = field(default_factory=dict)  # question id -> kind, from the export


def load_students(paths: list[Path]) -> tuple[list[Student], list[str]]:
    """The students in `paths` (one per pseudonym: a later export of the same student
    replaces an earlier one), and notes about what was replaced."""
    by_id: dict[str, Student] = {}
    notes = []
    for path in paths:
        student = read_export(path)
        earlier = by_id.get(student.pseudonym)
        if earlier is not None:
            keep = max(earlier, student, key=lambda s: s.exported_on)
            notes.append(
                f"{path}: a second export of student {student.pseudonym}; "
                f"the one exported on {keep.exported_on} is used"
            )
            student = keep
        by_id[student.pseudonym] = student
    return list(by_id.values()), notes


def read_export(path: Path) -> Student:
    def bad(message: str) -> FileRoleError:
        return FileRoleError(IMPORT_FILE, f"{path}: {message}")

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise bad(f"larger than {MAX_FILE_BYTES // 1_000_000} MB; is it a class export?")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise bad(f"cannot read it: {err.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad(
            "not a JSON file; make it with `quizapp export-progress --for-class FILE`"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("not a class export; make it with `quizapp export-progress --for-class FILE`")
    if data.get("version") != VERSION:
        raise bad(f"class export version {data.get('version')!r}; this quizapp reads {VERSION}")
    pseudonym = data.get("student")
    if not isinstance(pseudonym, str) or not pseudonym:
        raise bad("it names no student id")
    student = Student(pseudonym, str(data.get("exported_on", "")))
    try:
        _read_rows(data, student)
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise bad(f"a malformed row ({type(err).__name__}: {err})") from None
    return student


def _read_rows(data: dict[str, Any], student: Student) -> None:
    reviews, attempts = list(data.get("reviews") or []), list(data.get("attempts") or [])
    checked = {str(a["question_id"]) for a in attempts}
    for row in reviews:
        qid, kind = str(row["question_id"]), str(row.get("kind") or "")
        student.kinds.setdefault(qid, kind)
        if qid in checked:
            continue  # a question with checks is judged by them: each one is in `attempts`
        success = _success(row.get("correct"), row.get("rating"))
        if success is None:
            continue
        answer = row.get("answer")
        seed = row.get("variant_seed")
        student.answers.append(
            Answer(
                qid,
                success,
                answer if isinstance(answer, str) else None,
                seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
            )
        )
    for row in attempts:
        qid = str(row["question_id"])
        student.kinds.setdefault(qid, "code")  # only code is checked (a label from the file)
        student.answers.append(Answer(qid, str(row["status"]) == "correct"))
    for row in data.get("misconceptions") or []:
        student.misconceptions.append((str(row["question_id"]), str(row["misconception_id"])))


def _success(correct: Any, rating: Any) -> bool | None:
    """Graded answers by their grade; self-rated ones by the rating (Again = not recalled)."""
    if isinstance(correct, bool):
        return correct
    if isinstance(correct, int):
        return bool(correct)
    if isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 4:
        return rating > 1
    return None
