"""The study screen's code questions: run a check, cancel it, show a failed check, bring
back the last attempt, edit in the student's own editor, or give up and see the solution.

The check runs in a thread (the grader blocks); its verdict comes back to the UI thread,
where the attempt is recorded, since database access stays on that thread.
"""

from __future__ import annotations

from textual import work
from textual.widgets import Markdown, Static

from quizapp.errors import SaveFailed
from quizapp.grading.verdict import CodeVerdict, Status
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.progress.store import Mode
from quizapp.study.session import Outcome
from quizapp.tui.save_guard import keeps_work_if_not_saved, tell_not_saved
from quizapp.tui.study_base import Stage, StudyBase
from quizapp.tui.widgets import QuestionPane

NOT_SAVED = "not saved"  # a check that ran, but whose result could not be written
NOT_SAVED_CHECK = "Your code is still in the editor: run the check again once that is fixed."
CANCEL_KEY_AFTER_S = 0.3  # a check still running then gets "ctrl+c Cancel check" in the footer


def check_label(status: str) -> str:
    """The words for a failed check: a verdict status's label, else the status itself."""
    known = {s.value: s for s in Status}.get(status)
    return known.label if known is not None else status.capitalize()


class CodeCheckFlow(StudyBase):
    """The keys of a code question, from run (ctrl+r) to verdict."""

    def _code_question(self) -> bool:
        """Waiting for an answer to a question the grader judges."""
        return (
            self.stage == Stage.ANSWER and handler(self.session.question.kind).judge == Judge.GRADER
        )

    def action_run_check(self) -> None:
        if not self._code_question():
            return
        source = self._text_area("#code-answer").text
        self.stage = Stage.CHECKING
        self._check_number += 1
        warming = getattr(self.session.grader, "ready", True) is False
        # The check first: its thread starts while "Checking…" is drawn, not after.
        self._check(source, self._check_number)
        # The status line says it (always in view, repainted without a layout): a layout
        # and a scroll now would take the machine from the check while it runs.
        self.set_check_status(
            "Starting the checker (once per run, a few seconds)…"
            if warming
            else "Checking your code…",
            "checking",
        )
        verdict = self.query_one("#verdict", Static)
        if str(verdict.render()).strip():  # a failed check (or a cancel) is history now
            verdict.update("Checking your code…")
            verdict.set_classes("pending")
        feedback = self.query_one("#feedback", Markdown)
        if feedback.source:
            feedback.update("")
        # ctrl+c / esc cancel at once; the footer says so only if the check takes a while,
        # so a quick check rebuilds the footer once (for the verdict), not twice.
        self.set_timer(CANCEL_KEY_AFTER_S, self._show_cancel_key)

    def _show_cancel_key(self) -> None:
        if self.stage == Stage.CHECKING:
            self.refresh_bindings()

    def action_cancel_check(self) -> None:
        """ctrl+c / esc while a check runs: the grader kills the child; nothing is recorded."""
        if self.stage != Stage.CHECKING:
            return
        self._check_number += 1  # the running check's verdict, if it still comes, is dropped
        cancel = getattr(self.session.grader, "cancel", None)
        if cancel is not None:
            cancel()
        self.stage = Stage.ANSWER
        verdict = self.query_one("#verdict", Static)
        verdict.update("Check cancelled; nothing was recorded. ctrl+r runs it again.")
        verdict.set_classes("")
        self.set_check_status("Check cancelled, nothing recorded")
        self._end_checking()
        self.refresh_bindings()

    def _end_checking(self) -> None:
        """The editor, scrolled to, has the keys again."""
        editor = self._text_area("#code-answer")
        editor.focus(scroll_visible=False)
        pane = self.query_one("#question-pane", QuestionPane)
        self.call_after_refresh(pane.show_cursor_of, editor)

    def action_last_attempt(self) -> None:
        """Bring back the last checked code (ctrl+z undoes it); help, so at most Hard."""
        if not self.check_action("last_attempt", ()):
            return
        source = self.session.use_last_attempt()
        if source is None:
            return
        editor = self._text_area("#code-answer")
        editor.replace(source, (0, 0), editor.document.end)
        editor.focus()
        self.notify("Your last attempt is in the editor (ctrl+z undoes it); rated at most Hard.")
        self.refresh_bindings()

    def action_open_editor(self) -> None:
        """The code in $VISUAL/$EDITOR while the app is suspended; the buffer then reloads."""
        if not self._code_question():
            return
        from quizapp.tui.external_editor import edit_externally

        editor = self._text_area("#code-answer")
        result = edit_externally(self.app, editor.text, f"{self.session.question.function}.py")
        if result.text is None:
            self.notify(result.problem, severity="warning", timeout=8)
        elif result.text != editor.text:
            editor.replace(result.text, (0, 0), editor.document.end)  # ctrl+z undoes it
        editor.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="grader")
    def _check(self, source: str, number: int) -> None:
        if self.session.grader is None:
            self.app.call_from_thread(self._checked, source, None, number)  # type: ignore[arg-type]
            return
        verdict: CodeVerdict | Exception  # the verdict, or the exception that stopped the check
        try:
            verdict = self.session.grade_code(source)
        except Exception as err:  # the grader must never take the app down
            verdict = err
        # mypy cannot bind call_from_thread's return type for an async callback
        self.app.call_from_thread(self._checked, source, verdict, number)  # type: ignore[arg-type]

    async def _checked(
        self, source: str, verdict: CodeVerdict | Exception | None, number: int
    ) -> None:
        """Back on the UI thread: record the attempt (database access stays on this thread)."""
        if number != self._check_number or getattr(verdict, "status", "") == Status.CANCELLED:
            return  # cancelled: the screen already says so, and nothing is recorded
        if verdict is None:
            outcome = Outcome("error", self._why_no_checks())
        elif isinstance(verdict, Exception):
            outcome = Outcome("error", f"The check could not run: {verdict}")
        else:
            try:
                outcome = self.session.record_check(source, verdict)
            except SaveFailed as error:
                outcome = Outcome(NOT_SAVED, f"{error} {NOT_SAVED_CHECK}")
                tell_not_saved(self.app, error, NOT_SAVED_CHECK)
            else:
                self._saved_text = source  # every check keeps the attempt
                self._warn_once_about_sandbox()
        self.stage = Stage.ANSWER
        if outcome.final:
            self.show_outcome(outcome, checked=True)
            return
        # The status line at once (no layout: this frame is quick); the report in the
        # pane, which needs one, in the next.
        self.set_check_status(f"✗ {check_label(outcome.status)}", "wrong")
        self.call_after_refresh(self._show_failed_check, outcome, number)

    async def _show_failed_check(self, outcome: Outcome, number: int) -> None:
        """A check that failed: its report under the editor, the verdict at the top."""
        if number != self._check_number or self.stage != Stage.ANSWER:
            return  # checked again, or moved on, in the meantime
        line = self.query_one("#verdict", Static)
        what_now = (
            "run the check again (ctrl+r) once it can be saved"
            if outcome.status == NOT_SAVED
            else "fix it and run the check again (ctrl+r)"
        )
        line.update(f"✗ {check_label(outcome.status)} — {what_now}")
        line.set_classes("wrong")
        await self.query_one("#feedback", Markdown).update(outcome.message)
        self._scroll_to_verdict()
        self.refresh_bindings()

    def _why_no_checks(self) -> str:
        """'' when code can be checked; else why not and what to do (e.g. on Windows)."""
        if self.session.grader is not None:
            return ""
        from quizapp.grading.availability import why_no_code_checks

        return why_no_code_checks() or "The code grader is not available."

    def _warn_once_about_sandbox(self) -> None:
        """Say once per run, plainly, when this machine lacks some sandbox layers."""
        grader = self.session.grader
        app = self.app
        layers = getattr(grader, "layers", None)  # CodeGrader has them; test fakes may not
        if getattr(app, "sandbox_warned", False) or not layers:
            return
        from quizapp.grading.layers import describe

        missing = [text for _, on, text in describe(layers) if not on]
        app.sandbox_warned = True  # type: ignore[attr-defined]
        if missing:
            text = "Code runs less confined on this machine: " + "; ".join(missing[:2])
            self.notify(text + ". See `quizapp grade --sandbox-info`.", severity="warning")

    def action_give_up(self) -> None:
        """Showing the solution ends the question as not solved: ask first."""
        if not self._code_question():
            return
        from quizapp.tui.confirm import Confirm

        counts = (
            "In a review this counts as Again: the card comes back soon."
            if self.session.mode == Mode.REVIEW
            else "It is recorded as not solved; practice leaves the schedule as it is."
        )
        self.app.push_screen(Confirm("Show the solution?", counts, yes="Show it"), self._give_up)

    @keeps_work_if_not_saved
    def _give_up(self, confirmed: bool | None) -> None:
        if confirmed and self.stage == Stage.ANSWER and self.session.current is not None:
            source = self._text_area("#code-answer").text
            self.show_outcome(self.session.give_up(source))
