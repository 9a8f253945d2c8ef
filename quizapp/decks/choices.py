"""The order in which a choice question's options are shown, and how answers name options.

Deck files list the right option(s) first more often than not, so showing them in file
order gives the answer away. Each showing draws a fresh order from a seed; an option marked
`fixed: true` (such as "none of the above") keeps its place in the file's order.

An option's identity is its number in the deck file (1-based, file order), whatever order
it was shown in. Answers are graded and stored by that number, so a stored answer "2,4"
always names the same options; rows written before options were shuffled used the same
numbers (file order was then the shown order), so they stay readable.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence

from quizapp.decks.content import Option


def shuffled_order(options: Sequence[Option], seed: int | None) -> tuple[int, ...]:
    """Option indices (file order) in the order to show them; None keeps the file order."""
    order = list(range(len(options)))
    if seed is None:
        return tuple(order)
    movable = [i for i, option in enumerate(options) if not option.fixed]
    shuffled = movable[:]
    random.Random(seed).shuffle(shuffled)
    for slot, index in zip(movable, shuffled, strict=True):
        order[slot] = index
    return tuple(order)


def stable_seed(question_id: str) -> int:
    """A seed that depends only on the question id (the Anki export shuffles with it, so a
    re-export keeps each note's order)."""
    return int.from_bytes(hashlib.sha256(f"options:{question_id}".encode()).digest()[:4], "big")


def encode_answer(chosen: Iterable[int]) -> str:
    """Chosen option indices as stored in the review log: file numbers, e.g. "1,3"."""
    return ",".join(str(i + 1) for i in sorted(chosen))


def decode_answer(text: str) -> set[int]:
    """The option indices a stored answer names (old and new rows alike); empty if none."""
    chosen = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) > 0:
            chosen.add(int(part) - 1)
    return chosen
