"""Mock exam: choose or resume one, then sit it with a visible timer and no feedback.

Every decision (what is asked, time, saving, scoring) is `quizapp.mock.session`'s; this
module only shows the current question and hands answers over as they are typed.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from rich.markup import escape
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Markdown, Static

from quizapp.decks.mathtext import to_unicode
from quizapp.errors import SaveFailed
from quizapp.kinds import handler
from quizapp.mock.assemble import MODES, SHEET, WEAK_MODE, sheet_minutes
from quizapp.mock.session import MockExam, MockExamError, choice_answer
from quizapp.progress import mock_exams
from quizapp.progress.mock_exams import EndedBy, clock_text
from quizapp.tui.answer_widgets import Sitting, answer_widget
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.save_guard import KEPT_ON_SCREEN, NOTHING_CHANGED, keeps_work_if_not_saved
from quizapp.tui.widgets import ChoiceList, QuestionPane

if TYPE_CHECKING:
    from textual.widgets import TextArea

SAVE_AFTER_S = 0.5  # typing is saved this long after the last key (and on every move)
HAND_IN_WINDOW_S = 4.0

MOCK_CSS = """
MockStartScreen { align: center middle; }
#mock-box {
    width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}
#mock-status { height: 1; background: $panel; color: $text; }
#mock-status.low { background: $warning 40%; }
"""


class MockStartScreen(ModalScreen):
    """Resume the open exam, start a new one in either mode, or read the last report."""

    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    DEFAULT_CSS = MOCK_CSS
    BINDINGS = [
        Binding("r", "resume", "Resume", id="mock_resume"),
        Binding("s", "start('sheet')", "Like the sheet", id="mock_sheet"),
        Binding("w", "start('weak')", "Weak topics", id="mock_weak"),
        Binding("l", "last_report", "Last report", id="mock_last"),
        Binding("escape", "dismiss", "Cancel", id="mock_cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="mock-box"):
            yield Static(id="mock-text")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        store = self.app.store
        self.open_exam = mock_exams.unfinished(store)
        self.last_id = mock_exams.latest_ended_id(store)
        minutes = sheet_minutes()
        lines = [
            "[b]Mock exam[/b] — a timed sitting assembled like the exercise sheet: "
            "calculations, code, choice and open questions, fresh numbers.",
            f"[dim]{len(SHEET)} questions · about {minutes} min · no feedback until the end · "
            "every answer is saved as you type; esc pauses, and you can resume later.[/dim]",
            "",
        ]
        if self.open_exam is not None:
            e = self.open_exam
            answered = sum(a.answer is not None for a in mock_exams.answers(store, e.id))
            if e.status == mock_exams.RUNNING:
                left = clock_text(e.time_limit_s - e.used_ms / 1000)
                lines.append(
                    f"[b]r[/b]  resume the exam started {e.started_at.astimezone():%a %d %b %H:%M}"
                    f" ({answered} answered, {left} left)"
                )
            else:
                lines.append("[b]r[/b]  rate your open answers of the last exam and see its report")
            lines.append("[dim]Finish it before starting another.[/dim]")
        else:
            lines.append("[b]s[/b]  like the sheet: masking, ViT, contrastive learning, CLIP")
            lines.append("[b]w[/b]  the same mix of tasks, weighted towards your weakest topics")
        if self.last_id is not None:
            lines.append("[b]l[/b]  the report of your last exam")
        self.query_one("#mock-text", Static).update("\n".join(lines))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "resume":
            return self.open_exam is not None
        if action == "start":
            return self.open_exam is None
        if action == "last_report":
            return self.last_id is not None
        return True

    @keeps_work_if_not_saved(what_now=NOTHING_CHANGED)
    def action_resume(self) -> None:
        if self.open_exam is None:
            return
        app = self.app
        try:
            exam = MockExam.open(app.library, app.store, self.open_exam.id, clock=app.clock)
        except MockExamError as err:
            app.notify(str(err), title="Mock exam", severity="error")
            return
        self.dismiss()
        open_exam_screen(app, exam)

    @keeps_work_if_not_saved(what_now=NOTHING_CHANGED)
    def action_start(self, mode: str) -> None:
        if mode not in MODES or self.open_exam is not None:
            return
        app = self.app
        try:
            exam = MockExam.start(app.library, app.store, app.planner, mode, clock=app.clock)
        except MockExamError as err:
            app.notify(str(err), title="Mock exam", severity="error")
            return
        if mode == WEAK_MODE and not _has_history(app):
            app.notify("No history yet, so every topic counts as equally weak.", title="Mock exam")
        self.dismiss()
        open_exam_screen(app, exam)

    def action_last_report(self) -> None:
        from quizapp.tui.screens.mock_results import MockResultsScreen

        if self.last_id is None:
            return
        app = self.app
        try:
            exam = MockExam.open(app.library, app.store, self.last_id, clock=app.clock)
        except MockExamError as err:
            app.notify(str(err), title="Mock exam", severity="error")
            return
        self.dismiss()
        app.push_screen(MockResultsScreen(exam))


def _has_history(app: QuizApp) -> bool:
    return app.store.review_count() > 0


def open_exam_screen(app: QuizApp, exam: MockExam) -> None:
    """The screen an exam needs now: sitting it, or rating and the report."""
    from quizapp.tui.screens.mock_results import MockResultsScreen

    app.push_screen(MockExamScreen(exam) if exam.running else MockResultsScreen(exam))


class MockExamScreen(Screen):
    """One question at a time; nothing is judged until the exam ends."""

    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    DEFAULT_CSS = MOCK_CSS
    BINDINGS = [
        Binding("ctrl+n", "move(1)", "Next", id="mock_next", priority=True),
        Binding("ctrl+o", "move(-1)", "Back", id="mock_back", priority=True),
        Binding("ctrl+t", "hand_in", "Hand in", id="mock_hand_in", priority=True),
        Binding("escape", "pause", "Pause", id="mock_pause"),
        Binding("ctrl+up", "scroll_pane(-3)", "Scroll up", show=False, priority=True),
        Binding("ctrl+down", "scroll_pane(3)", "Scroll down", show=False, priority=True),
        Binding("pageup", "page_pane(-1)", "Page up", show=False),
        Binding("pagedown", "page_pane(1)", "Page down", show=False),
    ]

    def __init__(self, exam: MockExam) -> None:
        super().__init__()
        self.exam = exam
        self._save_timer: Timer | None = None
        self._hand_in_asked_at: float | None = None
        self._ended = False
        self._typed: tuple[int, str] | None = None  # typed but not yet saved
        self._shown = exam.position  # the question whose widget is on screen
        # Which question each answer widget belongs to: late change events still find it.
        self._position_of: WeakKeyDictionary[Widget, int] = WeakKeyDictionary()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="mock-status")
        with QuestionPane(id="question-pane"):
            yield Markdown(id="prompt")
            yield Static(id="answer-hint")
            yield Horizontal(id="answer-area")
        yield Footer()

    async def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        await self.show_question()

    # -- showing -------------------------------------------------------------------------

    async def show_question(self) -> None:
        exam = self.exam
        position = exam.position
        question = exam.question_at(position)
        variant = exam.variant(position)
        points = exam.answers[position].points_max
        self.query_one("#prompt", Markdown).update(
            to_unicode(
                f"## {position + 1}. {question.title} ({points:g} point{'' if points == 1 else 's'})\n\n{variant.prompt}"
            )
        )
        await self._build_answer_widget()
        self.update_status()
        self.query_one("#question-pane", QuestionPane).scroll_home(animate=False)

    async def _build_answer_widget(self) -> None:
        exam = self.exam
        saved = exam.current.answer
        area = self.query_one("#answer-area", Horizontal)
        await area.remove_children()
        self._shown = exam.position
        built = answer_widget(exam.variant(exam.position), Sitting.EXAM, lambda: saved)
        self.query_one("#answer-hint", Static).update(built.hint)
        self._position_of[built.widget] = exam.position
        await area.mount(built.widget)
        tall = built.editor is not None
        area.set_class(tall, "tall")
        built.widget.focus(scroll_visible=not tall)  # a tall editor: the pane follows its cursor

    def update_status(self) -> None:
        exam = self.exam
        question = exam.question_at(exam.position)
        marks = "".join(
            ("▶" if a.position == exam.position else "●" if a.answer is not None else "○")
            for a in exam.answers
        )
        left = exam.time_left_s()
        head = f" {exam.position + 1}/{len(exam)} {marks} · {handler(question.kind).label} · "
        tail = f" · ⏱ {clock_text(left)} left"
        room = max(8, self.size.width - len(head) - len(tail) - 1)
        topic = self.app.library.topic_title(question.topic)
        if len(topic) > room:
            topic = topic[: room - 1] + "…"
        status = self.query_one("#mock-status", Static)
        status.update(f"{head}{escape(topic)} · [b]⏱ {clock_text(left)}[/b] left")
        status.set_class(left < 5 * 60, "low")

    # -- saving --------------------------------------------------------------------------

    def _unsaved(self) -> tuple[int, str | None] | None:
        """(position, answer in the form the exam stores) of what is not saved yet.

        Typed text is remembered from the widgets' change events, with the question it
        belongs to, so it is saved to the right question even when the event arrives after
        a move, and even while the app is closing and the widgets are already gone."""
        if self._typed is not None:
            return self._typed
        for widget in self.query("#mock-choices").results(ChoiceList):
            shown = self.exam.variant(self._shown).shown_options()
            return self._shown, choice_answer({shown[p] for p in widget.selected})
        return None

    def flush(self, *, show: bool = True) -> None:
        """Save what is on screen now (before every move, pause and hand-in)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        unsaved = self._unsaved()
        saved = unsaved and self.exam.running and self.exam.save_answer(unsaved[1], unsaved[0])
        self._typed = None  # only once saved: a failed save raises, and is tried again
        if saved and show:
            self.update_status()

    def _save_soon(self, widget: Widget, text: str) -> None:
        self._typed = (self._position_of.get(widget, self._shown), text)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_AFTER_S, self._flush_after_pause)

    @keeps_work_if_not_saved(what_now=KEPT_ON_SCREEN)
    def _flush_after_pause(self) -> None:
        self.flush()

    @on(Input.Changed, "#mock-numeric")
    def numeric_changed(self, event: Input.Changed) -> None:
        self._save_soon(event.input, event.value)

    @on(Input.Submitted, "#mock-numeric")
    async def numeric_submitted(self) -> None:
        await self.action_move(1)

    @on(ChoiceList.Submitted, "#mock-choices")
    async def choice_submitted(self) -> None:
        await self.action_move(1)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._save_soon(event.text_area, event.text_area.text)

    # -- moving, time, ending -------------------------------------------------------------

    @keeps_work_if_not_saved(what_now=KEPT_ON_SCREEN)
    async def action_move(self, delta: int) -> None:
        if self._ended:
            return
        self.flush()
        target = self.exam.position + delta
        if not 0 <= target < len(self.exam):
            which = "last" if delta > 0 else "first"
            self.notify(f"This is the {which} question. ctrl+t hands the exam in.")
            return
        self.exam.go_to(target)
        await self.show_question()

    @keeps_work_if_not_saved(what_now=KEPT_ON_SCREEN)
    def tick(self) -> None:
        """Every second: the timer, a checkpoint of time used, and the end when time is up."""
        if self._ended or not self.exam.running:
            return
        if self.exam.time_is_up() and self.is_current:  # not under help or the palette
            self.flush()
            self.exam.end(EndedBy.TIME)
            self.notify("Time is up. Your answers are saved.", title="Mock exam")
            self._show_results()
            return
        self.exam.checkpoint(force=False)
        self.update_status()

    @keeps_work_if_not_saved(what_now=KEPT_ON_SCREEN)
    def action_hand_in(self) -> None:
        if self._ended:
            return
        self.flush()
        now = self.app.clock().timestamp()
        asked = self._hand_in_asked_at
        if asked is None or now - asked > HAND_IN_WINDOW_S:
            self._hand_in_asked_at = now
            missing = len(self.exam) - self.exam.answered_count
            still = f" {missing} question(s) are unanswered." if missing else ""
            self.notify(f"Press ctrl+t again to hand in.{still}", title="Hand in?")
            return
        self.app.clear_notifications()
        self.exam.end(EndedBy.STUDENT)
        self._show_results()

    def _show_results(self) -> None:
        from quizapp.tui.screens.mock_results import MockResultsScreen

        self._ended = True
        self.app.switch_screen(MockResultsScreen(self.exam))

    @keeps_work_if_not_saved(what_now=KEPT_ON_SCREEN)
    def action_pause(self) -> None:
        self.flush()
        self.exam.checkpoint()
        self._ended = True
        self.app.pop_screen()
        self.app.notify("Exam paused; the clock stopped. Press m on Home to resume.")

    def action_scroll_pane(self, lines: int) -> None:
        self.query_one("#question-pane", QuestionPane).scroll_relative(y=lines, animate=False)

    def action_page_pane(self, pages: int) -> None:
        self.query_one("#question-pane", QuestionPane).scroll_page(pages)

    def on_unmount(self) -> None:
        if not self._ended:  # the app is closing with the exam open: widgets are going
            with suppress(SaveFailed):  # nobody is left to tell: the last checkpoint stands
                self.flush(show=False)
                self.exam.checkpoint()
