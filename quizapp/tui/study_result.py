"""The study screen's result: the verdict line with its rating and next review, then the
feedback (the check's report, a reference solution, the explanation and the source).

The verdict line is painted first; the feedback (Markdown to parse and lay out) follows
a frame later, so the answer's verdict never waits for it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Markdown, Static

from quizapp.decks.content import Kind
from quizapp.decks.mathtext import to_unicode
from quizapp.decks.variants import solver_source
from quizapp.grading.verdict import Status
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.study.session import Outcome
from quizapp.tui.study_base import Stage, StudyBase, text_areas


class ResultPanel(StudyBase):
    """Shows a final outcome; keys 1-4 may still change its rating until the student moves on."""

    def show_outcome(self, outcome: Outcome) -> None:
        verdict = self.query_one("#verdict", Static)
        if not outcome.final:
            verdict.update(outcome.message)
            verdict.set_classes("unreadable")
            return
        self.stage = Stage.RESULT
        self._update_progress()
        self._outcome = outcome
        self._show_verdict_line(outcome)
        variant = self.session.variant
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
        parts.append(f"### Why\n\n{variant.explanation}")
        parts.append(f"*Source: {question.source}*")
        for field in self.query("#answer-area Input").results(Input):
            field.disabled = True  # the answer stays visible but can no longer change
        self.query_one("#answer-hint", Static).update(
            "Press enter or n for the next question, 1–4 to change the rating, esc for Home."
        )
        self.set_focus(None)  # enter/n now go to the screen: next question
        self.refresh_bindings()
        # The verdict line is painted first; the feedback (Markdown to parse and lay out)
        # and the read-only editor (re-rendered) follow in the next frame.
        top = question.kind != Kind.CHOICE  # the verdict repeats the answer; choices are marked
        self.call_after_refresh(
            self._show_feedback, to_unicode("\n\n".join(p for p in parts if p)), top
        )

    def _show_feedback(self, text: str, top: bool) -> None:
        if self.stage != Stage.RESULT:
            return  # moved on (or undone) before this frame
        for editor in text_areas(self):
            editor.read_only = True
        shown = self.query_one("#feedback", Markdown).update(text)
        # Then scroll once: the verdict to the top, or (choices) just into view below the
        # marked options.
        self.run_worker(self._scroll_when_shown(shown, top=top), group="scroll", exclusive=True)

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


def _headline(outcome: Outcome) -> str:
    """The verdict line: one sentence; a code check's full report goes to the feedback below."""
    check = outcome.verdict
    if check is not None and outcome.status == Status.CORRECT:
        return f"Correct: all {check.cases_total} test cases match the reference."
    return outcome.message


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
