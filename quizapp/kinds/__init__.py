"""One handler per question kind (see `base.KindHandler`): the only place that branches
on `Kind`. `handler` is checked for exhaustiveness by mypy (`assert_never`) and by a test,
so a kind without a handler cannot go unnoticed."""

from __future__ import annotations

from typing import assert_never

from quizapp.decks.content import Kind
from quizapp.kinds import choice, code, flashcard, numeric, open_answer
from quizapp.kinds.base import KindHandler


def handler(kind: Kind) -> KindHandler:
    match kind:
        case Kind.FLASHCARD:
            return flashcard.HANDLER
        case Kind.CHOICE:
            return choice.HANDLER
        case Kind.NUMERIC:
            return numeric.HANDLER
        case Kind.OPEN:
            return open_answer.HANDLER
        case Kind.CODE:
            return code.HANDLER
        case _:
            assert_never(kind)
