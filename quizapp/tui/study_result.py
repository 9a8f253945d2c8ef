"""The study screen's result: the verdict line with its rating and next review, then the
feedback (the check's report, a reference solution, the explanation and the source).

The verdict is painted first, on a line that needs no layout (the verdict line of an
answer judged at once, the status line after a code check); the feedback (Markdown to
parse and lay out) follows a frame later, so the verdict never waits for it.
"""

from __future__ import annotations

from rich.text import Text
from textual.await_complete import AwaitComplete
from textual.widgets import Input, Markdown, Static

from quizapp.decks.content import Kind
from quizapp.decks.mathtext import to_unicode
from quizapp.decks.variants import Variant, solver_source
from quizapp.grading.verdict import Status
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.study.session import Outcome
from quizapp.tui.code_check import check_label
from quizapp.tui.footer import Footer
from quizapp.tui.study_base import Stage, StudyBase, text_areas


class ResultPanel(StudyBase):
    """Shows a final outcome; keys 1-4 may still change its rating until the student moves on."""

    def show_outcome(self, outcome: Outcome, *, checked: bool = False) -> None:
        """The verdict line first, in a frame of its own (an answer is judged at once: it
        must not wait for the rest), then what follows it. After a code check (`checked`)
        the status line says the verdict at once and the pane shows it all a frame later."""
        verdict = self.query_one("#verdict", Static)
        if not outcome.final:
            verdict.update(outcome.message)
            verdict.set_classes("unreadable")
            return
        self.stage = Stage.RESULT
        self._outcome = outcome
        if checked:
            correct = outcome.status == Status.CORRECT
            said = _headline(outcome).rstrip(".") if correct else check_label(outcome.status)
            self.set_check_status(
                f"{'✓' if correct else '✗'} {said}", "correct" if correct else "wrong"
            )
            self.call_after_refresh(self._show_result, self.session.variant, at_once=True)
            return
        self._update_progress()
        self._show_result(self.session.variant, at_once=False)

    def _show_result(self, variant: Variant, *, at_once: bool) -> None:
        """The verdict line, then the feedback and explanation: in this frame (`at_once`)
        or the next, and one scroll."""
        outcome = self._outcome
        if outcome is None or self.stage != Stage.RESULT or self.session.variant is not variant:
            return  # moved on (or undone) before this frame
        self._show_verdict_line(outcome)
        question = variant.question
        parts = []
        if question.kind == Kind.OPEN:
            parts.append(self._open_feedback)
        elif outcome.verdict is not None:
            report = outcome.verdict.feedback
            if outcome.status == Status.CORRECT:  # the verdict line says it; keep what it printed
                report = report.partition("\n\n")[2]
            parts.append(report)
        if handler(question.kind).judge == Judge.GRADER and outcome.status != "correct":
            reference = solver_source(question.reference)
            parts.append(f"### A reference solution\n\n```python\n{reference}\n```")
        for field in self.query("#answer-area Input").results(Input):
            field.disabled = True  # the answer stays visible but can no longer change
        self.set_focus(None)  # enter/n now go to the screen: next question
        self.query_one("#answer-hint", Static).update(
            "Press enter or n for the next question, 1–4 to change the rating, esc for Home."
        )
        report = to_unicode("\n\n".join(p for p in parts if p))
        top = question.kind != Kind.CHOICE
        self.refresh_bindings()  # the rating keys: rebuilt after this frame, in the next
        if at_once:
            self.query_one(Footer).rebuild_now()  # … or in this one: the verdict is out
            self._after_verdict_then_scroll(report, top=top)
        else:
            self.call_after_refresh(self._after_verdict_then_scroll, report, top=top)

    def _after_verdict_then_scroll(self, report: str, *, top: bool) -> None:
        if not self._after_verdict(report, top=top):
            # the screen's own layout flag: its next refresh lays out what changed above
            # before the scroll runs (the widgets' flags reach the screen a message later)
            self.refresh(layout=True)
            self.call_after_refresh(self._scroll_after_verdict, top=top)

    def _after_verdict(self, report: str, *, top: bool) -> bool:
        """What follows the verdict: a check's report or a reference solution (new
        Markdown), the explanation, the editor made read-only. True when a scroll is
        already on its way (after new Markdown is mounted)."""
        if self.stage != Stage.RESULT:
            return True  # moved on (or undone) before this frame: nothing to scroll
        feedback = self.query_one("#feedback", Markdown)
        pending = [feedback.update(report)] if report else []
        pending += self.show_explanation()
        for editor in text_areas(self):
            editor.read_only = True
        if pending:  # new Markdown is mounted over a few frames: scroll once it is
            self.run_worker(
                self._scroll_when_shown(*pending, top=top), group="scroll", exclusive=True
            )
        return bool(pending)

    def _scroll_after_verdict(self, *, top: bool) -> None:
        """The verdict to the top, or (choices: the marks say it) just into view."""
        if self.stage == Stage.RESULT:
            self._scroll_now(self.query_one("#verdict"), top=top)

    def prepare_explanation(self, variant: Variant) -> None:
        """Build the explanation (hidden) while the question is answered, so the verdict
        does not wait for its Markdown to be parsed and mounted."""
        explanation = self.query_one("#explanation", Markdown)
        explanation.display = False
        self._explanation_text = _explanation(variant)
        self._explanation_ready = explanation.update(self._explanation_text)

    def show_explanation(self) -> list[AwaitComplete]:
        """Show the explanation of the question on screen; what to await before it is."""
        explanation = self.query_one("#explanation", Markdown)
        explanation.display = True
        if self._explanation_text != _explanation(self.session.variant):
            self.prepare_explanation(self.session.variant)  # answered before it was built
            explanation.display = True
        ready = self._explanation_ready
        return [ready] if ready is not None and not ready.is_done else []

    def _show_verdict_line(self, outcome: Outcome) -> None:
        """The verdict, the rating it gets and when the card comes back; keys 1-4 (their
        intervals in the footer) change the rating until the student moves on."""
        verdict = self.query_one("#verdict", Static)
        symbol = {"correct": "✓", "incorrect": "✗"}.get(outcome.status, "•")
        verdict.update(
            Text.assemble(
                f"{symbol} {_headline(outcome)}  ", Text.from_markup(self._due_text(outcome))
            )
        )
        verdict.set_classes(outcome.status)
        self._label_rating_keys(self.session.intervals())

    def _due_text(self, outcome: Outcome) -> str:
        if outcome.next_due is None:
            rating = f"{outcome.rating.name} · " if outcome.rating and outcome.final else ""
            note = outcome.evidence_note or "practice"
            note += ", schedule unchanged" if note.startswith("practice") else ""
            return f"[dim]({rating}{_escape(note)})[/dim]"
        delta = outcome.next_due - self.session.clock()
        minutes = max(1, round(delta.total_seconds() / 60))
        if minutes < 60:
            when = f"{minutes} min"
        elif minutes < 60 * 24:
            when = f"{round(minutes / 60)} h"
        else:
            when = f"{round(minutes / 1440)} d"
        rating = outcome.rating.name if outcome.rating else ""
        capped = f" · {outcome.evidence_note}" if outcome.evidence_note else ""
        return f"[dim]({rating} · next review in {when}{capped})[/dim]"


def _explanation(variant: Variant) -> str:
    return to_unicode(f"### Why\n\n{variant.explanation}\n\n*Source: {variant.question.source}*")


def _headline(outcome: Outcome) -> str:
    """The verdict line: one sentence; a code check's full report goes to the feedback below."""
    check = outcome.verdict
    if check is not None and outcome.status == Status.CORRECT:
        return f"Correct: all {check.cases_total} test cases match the reference."
    return outcome.message


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
