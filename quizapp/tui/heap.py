"""Python's garbage collection, moved out of the moments a student waits for the screen.

Widgets hold reference cycles (parent and child point at each other), so every question
leaves garbage that only a full collection frees. Python starts one on its own schedule,
and a full collection walks every object the app holds: after start-up ~300,000 (decks,
styles, pint's unit registry), a 60-190 ms pause, which landed as often as not between
a verdict and its paint. So start-up's objects are frozen (left out of every later
collection), and the garbage of a question is collected when the student stops typing,
while they read: a few milliseconds nobody waits for.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_S = 1.0  # no key or click for this long: the student is reading, not waiting
CHECK_EVERY_S = 0.5
FREEZE_AFTER_S = 2.0  # start-up is over (pint's registry is built in the background)


def freeze_start_up() -> None:
    """Leave everything built so far out of later collections (done once, after start-up)."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Undo `freeze_start_up` when the app ends, so its objects can be freed."""
    gc.unfreeze()


class IdleCollector:
    """Runs a full collection once input has been quiet for QUIET_S, when there is
    something to collect; `input_seen` is called for every key and click."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._collected_since_input = False

    def input_seen(self) -> None:
        self._last_input = self._clock()
        self._collected_since_input = False

    def tick(self) -> bool:
        """Collect if the student has been quiet a while; whether it did."""
        if self._collected_since_input or self._clock() - self._last_input < QUIET_S:
            return False
        gc.collect()
        self._collected_since_input = True
        return True
