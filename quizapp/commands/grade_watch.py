"""`quizapp grade ID FILE --watch`: check the file now and again after every save.

The directory is watched rather than the file, because many editors save by writing a new
file and renaming it over the old one, which would end a watch on the file itself.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from quizapp.errors import UsageError
from quizapp.textsafe import raw_stream, visible

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from watchfiles import Change

CLEAR = "\x1b[2J\x1b[H"


def watch(path: Path, check: Callable[[], int], *, json_output: bool = False) -> int:
    """Run `check` now and after each change to `path`; ctrl+c ends it (exit 0).

    With `json_output` the header lines go to stderr, so stdout stays one JSON per check.
    """
    import watchfiles

    target = path.resolve()
    if not target.parent.is_dir():
        raise UsageError(f"{path}: no such directory to watch")

    def is_target(_change: Change, changed: str) -> bool:
        return Path(changed) == target

    try:
        _show(path, check, json_output)
        for _changes in watchfiles.watch(
            target.parent, watch_filter=is_target, raise_interrupt=True, debounce=400
        ):
            if target.exists():  # a delete-then-rename save shows up as one batch
                _show(path, check, json_output)
    except KeyboardInterrupt:
        pass  # ctrl+c, while waiting or while a check runs
    print(file=sys.stderr)
    return 0


def _show(path: Path, check: Callable[[], int], json_output: bool) -> None:
    """Clear the terminal, then one header line and the verdict (or why there is none)."""
    if sys.stdout.isatty() and not json_output:
        raw_stream(sys.stdout).write(CLEAR)  # the app's own sequence, past the filter
    stamp = time.strftime("%H:%M:%S")
    header = sys.stderr if json_output else sys.stdout
    print(f"── {visible(str(path))} · checked {stamp} · ctrl+c stops ──", file=header, flush=True)
    try:
        check()
    except UsageError as err:  # e.g. the file is half-written or not UTF-8: wait for the next save
        print(f"quizapp: {visible(err.message)}")
    sys.stdout.flush()
