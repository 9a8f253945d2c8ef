"""After a mock exam: rate the open answers against their rubric while the code is being
checked, then the results enter the schedule and the scored report is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static

from quizapp.decks.mathtext import to_unicode
from quizapp.mock.report import build_mock_report, to_markdown
from quizapp.mock.session import MockExam, VariantGrader
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.save_guard import NOTHING_CHANGED, keeps_work_if_not_saved
from quizapp.tui.screens.mock import MOCK_CSS
from quizapp.tui.widgets import ChoiceList

if TYPE_CHECKING:
    from quizapp.decks.content import Question
    from quizapp.grading.verdict import CodeVerdict

GradingJob = tuple[int, "Question", str, int | None]  # position, question, source, seed


TICKS_KEPT = "Your ticks are still there: press enter again once that is fixed."
REGRADED = "That answer is checked again the next time the results open."


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines())


class MockResultsScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    DEFAULT_CSS = MOCK_CSS
    BINDINGS = [
        Binding("escape", "leave", "Home", id="mock_leave"),
        Binding("g", "grade", "Check code again", id="mock_regrade"),
        Binding("ctrl+up", "scroll_pane(-3)", "Scroll up", show=False, priority=True),
        Binding("ctrl+down", "scroll_pane(3)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self, exam: MockExam) -> None:
        super().__init__()
        self.exam = exam
        self.stage = "rating"  # rating | grading | report
        self.rating_position: int | None = None
        self.grading = False
        self.grading_failed = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="mock-status")
        with VerticalScroll(id="question-pane"):
            yield Static(id="answer-hint")
            yield Horizontal(id="answer-area")
            yield Markdown(id="prompt")
        yield Footer()

    async def on_mount(self) -> None:
        self.action_grade()
        await self.next_step()

    # -- the steps ------------------------------------------------------------------------

    @keeps_work_if_not_saved(what_now=NOTHING_CHANGED)
    async def next_step(self) -> None:
        exam = self.exam
        pending = exam.pending_ratings()
        if pending:
            await self.show_rating(pending[0], len(pending))
        elif exam.pending_code():
            await self.show_waiting()
        else:
            if exam.status != "done":
                exam.finish(self.app.planner)
            await self.show_report()
        self.refresh_bindings()

    async def show_rating(self, position: int, left: int) -> None:
        self.stage = "rating"
        self.rating_position = position
        exam = self.exam
        question = exam.question_at(position)
        answer = exam.answers[position].answer or ""
        self._status(f"rate your open answers ({left} left)")
        self.query_one("#answer-hint", Static).update(
            f"[b]{position + 1}. {escape(question.title)}[/b] — tick the key points your answer "
            "covered (number keys or space), then press enter. Your answer and the model "
            "answer are below (ctrl+↓ scrolls)."
        )
        area = self.query_one("#answer-area", Horizontal)
        await area.remove_children()
        rubric = ChoiceList(
            [to_unicode(point, markdown=False) for point in question.rubric],
            multiple=True,
            id="mock-rubric",
        )
        await area.mount(rubric)
        rubric.focus()
        await self.query_one("#prompt", Markdown).update(
            to_unicode(
                f"{exam.variant(position).prompt}\n\n**Your answer**\n\n{_quote(answer)}\n\n"
                f"### Model answer\n\n{question.model_answer}"
            )
        )
        self.query_one("#question-pane").scroll_home(animate=False)

    async def show_waiting(self) -> None:
        self.stage = "grading"
        count = len(self.exam.pending_code())
        await self.query_one("#answer-area", Horizontal).remove_children()
        if self.grading_failed:
            text = (
                f"Your code could not be checked: {self.grading_failed}\n"
                "Press g to try again, or esc: your answers are kept and checked next time."
            )
        else:
            text = f"Checking your code ({count} answer(s) left)…"
        self.query_one("#answer-hint", Static).update(text)
        await self.query_one("#prompt", Markdown).update("")
        self._status("checking code")

    async def show_report(self) -> None:
        self.stage = "report"
        await self.query_one("#answer-area", Horizontal).remove_children()
        report = build_mock_report(self.app.library, self.app.store, self.exam.id)
        share = report.points / report.max_points if report.max_points else 0.0
        answered = self.exam.answered_count
        recorded = (  # unanswered questions say nothing about memory: never recorded
            f"{answered} answered, saved as reviews" if answered else "nothing answered or recorded"
        )
        self._status(
            f"{report.points:.4g} / {report.max_points:.4g} points ({share:.0%}) · {recorded}"
        )
        self.query_one("#answer-hint", Static).update(
            "[dim]↑/↓ and page keys scroll · esc for Home · "
            "[b]quizapp mock --report FILE[/b] saves this as Markdown[/dim]"
        )
        await self.query_one("#prompt", Markdown).update(to_markdown(report))
        pane = self.query_one("#question-pane", VerticalScroll)
        pane.scroll_home(animate=False)
        pane.focus()

    def _status(self, text: str) -> None:
        self.query_one("#mock-status", Static).update(f" Mock exam {self.exam.id} · {text}")

    # -- rating ---------------------------------------------------------------------------

    @on(ChoiceList.Submitted, "#mock-rubric")
    @keeps_work_if_not_saved(what_now=TICKS_KEPT)
    async def rubric_submitted(self, event: ChoiceList.Submitted) -> None:
        if self.stage != "rating" or self.rating_position is None:
            return
        self.exam.rate_open(self.rating_position, event.selected)
        event.choice_list.locked = True
        self.rating_position = None
        await self.next_step()

    # -- code -----------------------------------------------------------------------------

    def action_grade(self) -> None:
        exam = self.exam
        positions = exam.pending_code()
        if self.grading or not positions:
            return
        grader = self.app.grader
        if grader is None:
            from quizapp.grading.availability import why_no_code_checks

            self.grading_failed = why_no_code_checks() or "no code grader is available here"
            return
        jobs = [
            (p, exam.question_at(p), exam.answers[p].answer or "", exam.answers[p].variant_seed)
            for p in positions
        ]
        self.grading = True
        self.grading_failed = ""
        self._grade(grader, jobs)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mock-grader")
    def _grade(self, grader: VariantGrader, jobs: list[GradingJob]) -> None:
        """Runs the checks off the UI thread; each verdict is recorded back on the UI thread."""
        # The ignores below: mypy cannot bind call_from_thread's return for async callbacks.
        for position, question, source, seed in jobs:
            try:
                verdict = grader.grade(question, source, seed=seed)
            except Exception as err:  # the grader must never take the app down
                message = str(err) or type(err).__name__
                self.app.call_from_thread(self._grading_stopped, message)  # type: ignore[arg-type]
                return
            self.app.call_from_thread(self._graded, position, verdict)
        self.app.call_from_thread(self._grading_stopped, "")  # type: ignore[arg-type]

    @keeps_work_if_not_saved(what_now=REGRADED)
    async def _graded(self, position: int, verdict: CodeVerdict) -> None:
        self.exam.record_code(position, verdict)  # kept even if the student has left
        if self.stage == "grading" and self.is_attached:
            await self.next_step()

    async def _grading_stopped(self, error: str) -> None:
        self.grading = False
        self.grading_failed = error
        if self.stage == "grading" and self.is_attached:
            await self.next_step()

    # -- leaving --------------------------------------------------------------------------

    def action_leave(self) -> None:
        self.app.pop_screen()
        if self.stage != "report":
            self.app.notify("Your ratings are saved. Press m on Home to carry on.")

    def action_scroll_pane(self, lines: int) -> None:
        self.query_one("#question-pane", VerticalScroll).scroll_relative(y=lines, animate=False)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "grade":
            return self.stage == "grading" and not self.grading
        return True
