"""Keeps what a student types in an answer editor as the question's draft, so closing the
app mid-question (ctrl+q, a closed terminal) loses nothing.

Saves go to the progress database through the session a short while after typing stops,
and once more when the screen goes away; the editor object is kept because by then the
screen's widgets are already unmounted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from quizapp.errors import SaveFailed

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import TextArea

    from quizapp.study.session import StudySession

SAVE_AFTER_S = 0.4  # typing pauses this long: the draft goes to the database


class DraftSaver:
    def __init__(
        self,
        session: StudySession,
        set_timer: Callable[..., Timer],
        report: Callable[[SaveFailed], None],
    ) -> None:
        self.session = session
        self._set_timer = set_timer
        self._report = report  # a save after a typing pause failed: say so, keep the text
        self._timer: Timer | None = None
        self._editor: TextArea | None = None
        self._saved = ""  # the text as last saved or loaded

    def attach(self, editor: TextArea | None, loaded: str = "") -> None:
        """Follow `editor` (None: the question has no editor), whose text is `loaded`."""
        self.cancel()
        self._editor, self._saved = editor, loaded

    def changed(self) -> None:
        """The text changed: save once typing pauses."""
        self.cancel()
        self._timer = self._set_timer(SAVE_AFTER_S, self._save_after_pause)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _save_after_pause(self) -> None:
        try:
            self.save()
        except SaveFailed as error:
            self._report(error)  # the text differs from the saved one: the next save retries

    def save(self) -> None:
        """Save the editor's text now if it differs from what was saved or loaded; raises
        SaveFailed when it cannot."""
        self._timer = None
        editor = self._editor
        if editor is not None and editor.text != self._saved:
            self.session.save_draft(editor.text)
            self._saved = editor.text

    def discard(self) -> None:
        """The student left the question on purpose: forget the draft."""
        self.attach(None)
        self.session.discard_draft()
