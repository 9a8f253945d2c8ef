"""What every part of the study screen shares: its stage, its state and its layout helpers.

The screen is assembled from parts with one job each (`study_result` shows a verdict,
`code_check` runs a check); they all build on `StudyBase`, which holds the state they
read and write, so each part can be read on its own.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import getters
from textual.screen import Screen
from textual.widgets import Static

from quizapp.kinds import handler
from quizapp.study.session import Outcome, StudySession
from quizapp.tui.app import QuizApp
from quizapp.tui.draft_saver import DraftSaver
from quizapp.tui.rating_keys import label_rating_keys
from quizapp.tui.save_guard import tell_not_saved
from quizapp.tui.widgets import QuestionPane

if TYPE_CHECKING:
    from fsrs import Rating
    from textual.await_complete import AwaitComplete
    from textual.widget import Widget
    from textual.widgets import TextArea


class Stage(StrEnum):
    """Where the screen is with the current question; it decides which keys work."""

    ANSWER = "answer"  # waiting for an answer
    REVEALED = "revealed"  # a flashcard's back is shown; waiting for a rating
    RUBRIC = "rubric"  # an open answer is in; ticking the key points it covered
    CHECKING = "checking"  # a code check is running
    RESULT = "result"  # the verdict and explanation are shown
    DONE = "done"  # the session is over


def text_areas(screen: Screen[object]) -> list[TextArea]:
    """The answer editors on screen (none, or the one of an open or code question)."""
    from textual.widgets import TextArea  # imported on first use: ~10 ms of start-up

    return list(screen.query("#answer-area TextArea").results(TextArea))


class StudyBase(Screen):
    """Drives a `StudySession`; every decision about grading and recording is the session's."""

    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    def __init__(self, session: StudySession, title: str) -> None:
        super().__init__()
        self.session = session
        self.heading = title
        self.stage = Stage.ANSWER
        self._saved_text = ""  # the editor's text as last kept (stub, last attempt or "")
        self._outcome: Outcome | None = None  # the current question's recorded answer
        self._has_last_attempt = False  # a code question with a checked attempt on file
        self.drafts = DraftSaver(  # typed text survives a quit
            session,
            self.set_timer,
            lambda error: tell_not_saved(
                self.app,
                error,
                "Your text is still in the editor; saving is tried again as you type.",
            ),
        )
        self._open_feedback = ""
        self._explanation_text = ""  # what the hidden explanation below the answer holds
        self._explanation_ready: AwaitComplete | None = None  # until it is mounted
        self._check_number = 0  # a cancelled check's late verdict is recognised and dropped
        self._check_status = ("", "")  # what the checker is doing or said last, and its class

    def show_outcome(self, outcome: Outcome, *, checked: bool = False) -> None:
        """The verdict, rating and feedback of an answer (see `study_result.ResultPanel`);
        `checked`: the answer is a code check's, which says its verdict on the status line."""
        raise NotImplementedError

    def _update_progress(self) -> None:
        """The status line: what a code check is doing or said last (see `set_check_status`),
        then the progress. Its size never changes, so it repaints without a layout."""
        s = self.session
        question = s.question
        title = s.library.topic_title(question.topic)  # as Practice's heading names it
        topic = s.library.topic_short_title(question.topic)
        where = "" if title in self.heading or topic in self.heading else f" · {topic}"
        said, style = self._check_status
        progress = self.query_one("#progress", Static)
        if set(progress.classes) != ({style} if style else set()):
            progress.set_classes(style)  # a restyle: only when it changes
        progress.update(
            # what matters most first: a long heading ("Weak · …") is cut at the end
            (f" {escape(said)} ·" if said else "")
            + f" {s.done} done · {_left(s)} · {handler(question.kind).label} · "
            f"{escape(self.heading)}{escape(where)}",
            layout=False,
        )
        question_id = self.query_one("#question-id", Static)
        if str(question_id.render()) != f" {question.id} ":  # its width follows the id
            question_id.update(f" {question.id} ")

    def set_check_status(self, said: str = "", style: str = "") -> None:
        """Put what the checker does or said at the start of the status line. The line is
        always on screen and repaints without a layout, so a check's state shows at once
        even when the verdict below the editor is out of view (80x24) or waits for a
        layout; `style` (checking, correct, wrong) colours it."""
        self._check_status = (said, style)
        self._update_progress()

    def _label_rating_keys(self, previews: dict[Rating, datetime]) -> None:
        """Each rating key in the footer shows its next interval (computed by fsrs)."""
        label_rating_keys(self._bindings, previews, self.session.clock())

    def _text_area(self, selector: str) -> TextArea:
        from textual.widgets import TextArea

        return self.query_one(selector, TextArea)

    # -- scrolling the question pane ------------------------------------------------------

    async def _scroll_when_shown(
        self, *updates: AwaitComplete, target: str = "#verdict", top: bool = True
    ) -> None:
        """Scroll once the feedback is rendered: before, the pane may be too short to."""
        for update in updates:
            await update
        self._scroll_to_top(self.query_one(target), top=top)

    def action_scroll_pane(self, lines: int) -> None:
        """Scroll the question while the editor keeps the focus (small terminals)."""
        pane = self.query_one("#question-pane", QuestionPane)
        pane.keep_end_in_view(False)
        pane.scroll_relative(y=lines, animate=False)

    def action_page_pane(self, pages: int) -> None:
        """PageUp/PageDown when no widget has the keys (after a verdict)."""
        pane = self.query_one("#question-pane", QuestionPane)
        pane.keep_end_in_view(False)
        pane.scroll_page(pages)

    def _scroll_to_verdict(self) -> None:
        """Bring the verdict to the top of the pane: the feedback below it is what matters now."""
        self._scroll_to_top(self.query_one("#verdict"))

    def _scroll_to_top(self, widget: Widget, *, top: bool = True) -> None:
        """Once laid out, scroll the pane so `widget` is at its top (with `top=False`: just
        in view), and stays put."""
        self.query_one("#question-pane", QuestionPane).keep_end_in_view(False)  # from now on
        self.refresh(layout=True)  # lay out what changed first (see `show_outcome`)
        self.call_after_refresh(self._scroll_now, widget, top=top)

    def _scroll_now(self, widget: Widget, *, top: bool = True) -> None:
        """Scroll the pane to `widget` from the layout as it is (immediate: in this frame,
        not after one more refresh)."""
        pane = self.query_one("#question-pane", QuestionPane)
        pane.keep_end_in_view(False)
        pane.scroll_to_widget(widget, top=top, animate=False, immediate=True)


def _left(session: StudySession) -> str:
    """ "19 left +1 repeat": cards in a learning step of minutes come back this session,
    counted apart so answering the first card never leaves "20 left"."""
    repeats = session.repeats_left
    extra = f" +{repeats} repeat{'s' if repeats > 1 else ''}" if repeats else ""
    return f"{session.remaining - repeats} left{extra}"
