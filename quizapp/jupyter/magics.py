"""`%%quizapp ID` and `%quizapp stub ID`: the IPython side (the `[jupyter]` extra).

`%load_ext quizapp` calls `load_ipython_extension` in `quizapp/__init__.py`, which imports
this module; nothing else in quizapp imports IPython.
"""

from __future__ import annotations

import shlex
import sys

from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.display import display

from quizapp.errors import QuizappError
from quizapp.jupyter.checking import check

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

USAGE = (
    "Usage: a cell that starts with `%%quizapp QUESTION_ID [--no-record] [--no-run]` is"
    " checked, then run here as usual (not with --no-run);"
    " `%quizapp stub QUESTION_ID` puts the question's starting code into the next cell."
)


@magics_class
class QuizappMagics(Magics):
    @line_cell_magic
    def quizapp(self, line: str, cell: str | None = None) -> None:
        """Check this cell's code against a quizapp code question (see USAGE)."""
        try:
            words = shlex.split(line)
        except ValueError as err:
            _say(f"quizapp: {err}. {USAGE}")
            return
        if cell is None:
            if len(words) == 2 and words[0] == "stub":
                self._stub(words[1])
                return
            _say(USAGE)
            return
        options = {w for w in words if w.startswith("--")}
        ids = [w for w in words if not w.startswith("--")]
        if len(ids) != 1 or not options <= {"--no-record", "--no-run"}:
            _say(USAGE)
            return
        try:
            result = check(ids[0], cell, record="--no-record" not in options)
        except QuizappError as err:
            _say(f"quizapp: {err.message}")
            return
        display(result)  # the verdict first: the cell's own run may take long or fail
        if "--no-run" not in options and self.shell is not None:
            # As if the magic were not there: later cells use the function.
            self.shell.run_cell(cell, store_history=False)
        return None

    def _stub(self, question_id: str) -> None:
        from quizapp.jupyter.stub import cell_stub

        try:
            text = cell_stub(question_id)
        except QuizappError as err:
            _say(f"quizapp: {err.message}")
            return
        if self.shell is not None:
            self.shell.set_next_input(text, replace=False)
        return None


def _say(text: str) -> None:
    """A message for the student, without a traceback."""
    print(text, file=sys.stderr)


def load(ipython: InteractiveShell) -> None:
    ipython.register_magics(QuizappMagics)
