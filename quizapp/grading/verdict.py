"""The outcome of one code check, as one type on every side of every process boundary.

The worker builds a `CodeVerdict`, sends it as `to_wire()`; `CodeGrader` reads it back with
`from_wire`, the grading service forwards the same dict, and `quizapp grade` (through the
service or not) reads it with `from_wire` again. A dict from another process is never
trusted: `from_wire` checks every field and gives an "unreadable answer" verdict for
anything else. `Status` is the closed set of statuses, each with the label a student reads.

Plain classes, no dataclasses: the warm path of `quizapp grade` imports this module, and
importing dataclasses there costs ~25 ms of CPU.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    ERROR = "error"  # the code raised, did not compile, or the grader could not run it
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"  # the process died or ended before returning results
    INVALID = "invalid"  # the process sent back something that is not a report
    CANCELLED = "cancelled"  # the student stopped the check; nothing is recorded

    @property
    def label(self) -> str:
        """A few words for the verdict line of the app."""
        return _LABELS[self]


_LABELS = {
    Status.CORRECT: "Correct",
    Status.INCORRECT: "Not right yet",
    Status.ERROR: "Your code raised an error",
    Status.TIMEOUT: "Time limit exceeded",
    Status.MEMORY: "Memory limit exceeded",
    Status.CRASHED: "Your code crashed the checker process",
    Status.INVALID: "Your code sent back an invalid result",
    Status.CANCELLED: "Check cancelled",
}

UNREADABLE_FEEDBACK = "The grader sent an unreadable answer; please try again."


class CodeVerdict:
    """The outcome of one submission.

    `feedback` is Markdown a student can act on; `layers` are the sandbox layers the check
    ran under (empty when unknown); `rendered` is the verdict line the grading service
    rendered for the caller's terminal (never on the wire from the worker).
    """

    __slots__ = ("status", "feedback", "cases_passed", "cases_total", "layers", "rendered")

    def __init__(
        self,
        status: Status | str,
        feedback: str,
        cases_passed: int,
        cases_total: int,
        layers: tuple[str, ...] = (),
        rendered: str = "",
    ) -> None:
        self.status = Status(status)
        self.feedback = feedback
        self.cases_passed = cases_passed
        self.cases_total = cases_total
        self.layers = tuple(layers)
        self.rendered = rendered

    @property
    def correct(self) -> bool:
        return self.status is Status.CORRECT

    def _key(self) -> tuple:
        return (self.status, self.feedback, self.cases_passed, self.cases_total, self.layers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodeVerdict) and self._key() == other._key()

    def __repr__(self) -> str:
        return (
            f"CodeVerdict({self.status.value!r}, {self.feedback[:60]!r}, "
            f"{self.cases_passed}/{self.cases_total})"
        )

    def to_wire(self) -> dict:
        return {
            "status": self.status.value,
            "feedback": self.feedback,
            "cases_passed": self.cases_passed,
            "cases_total": self.cases_total,
            "layers": list(self.layers),
        }

    @classmethod
    def from_wire(cls, data: object, rendered: object = "") -> CodeVerdict:
        """The verdict in `data` (from another process), or an "unreadable" error verdict."""
        if not isinstance(data, dict):
            return unreadable()
        status, feedback = data.get("status"), data.get("feedback")
        passed, total = data.get("cases_passed"), data.get("cases_total")
        layers = data.get("layers", [])
        if not (
            isinstance(status, str)
            and status in _BY_VALUE
            and isinstance(feedback, str)
            and _count(passed)
            and _count(total)
            and isinstance(layers, list)
        ):
            return unreadable()
        assert isinstance(passed, int) and isinstance(total, int)  # checked just above
        return cls(
            _BY_VALUE[status],
            feedback,
            passed,
            total,
            tuple(x for x in layers if isinstance(x, str)),
            rendered if isinstance(rendered, str) else "",
        )


_BY_VALUE = {s.value: s for s in Status}


def unreadable(feedback: str = UNREADABLE_FEEDBACK) -> CodeVerdict:
    return CodeVerdict(Status.ERROR, feedback, 0, 0)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
