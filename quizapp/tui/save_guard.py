"""Handlers that write progress keep the student's work when the write fails.

A write fails for reasons outside the app: another program keeps the database locked past
the busy timeout, the disk is full, the file turned read-only. Left alone, the exception
would end the app with a traceback and take what the student typed with it. Wrapped in
`keeps_work_if_not_saved`, the handler stops where the write failed (nothing was
written), the student is told why, and the answer stays on screen to submit again.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from textual.app import App

from quizapp.errors import SaveFailed

NOTHING_CHANGED = "Nothing was changed: try again once that is fixed."
KEPT_ON_SCREEN = "Your answer is still on screen; saving it is tried again as you go on."
TRY_AGAIN = (
    "Nothing was recorded, and what you typed is still here: answer again once that is fixed."
)


def tell_not_saved(app: App[Any], error: SaveFailed, what_now: str = TRY_AGAIN) -> None:
    message = f"{error} {what_now}"  # names a file path: shown as it is, never as markup
    app.notify(message, title=error.title, severity="error", timeout=20, markup=False)


def keeps_work_if_not_saved(
    handler: Callable[..., Any] | None = None, *, what_now: str = TRY_AGAIN
) -> Any:
    """Wrap a screen's or widget's handler (sync or async) so a failed save is reported,
    with `what_now`, instead of raised. Use bare or as `@keeps_work_if_not_saved(what_now=…)`."""
    if handler is None:
        return functools.partial(keeps_work_if_not_saved, what_now=what_now)
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(self, *args, **kwargs)
            except SaveFailed as error:
                tell_not_saved(self.app, error, what_now)
                return None

        return run_async

    @functools.wraps(handler)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except SaveFailed as error:
            tell_not_saved(self.app, error, what_now)
            return None

    return run
