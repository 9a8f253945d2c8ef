"""Study: one question at a time, the answer widget its kind needs, then the verdict.

The screen shows a question and takes its answer; the code-check flow (`code_check`), the
result panel (`study_result`) and the shared state (`study_base`) live in their own modules.
"""

from __future__ import annotations

from contextlib import suppress

from fsrs import Rating
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, Markdown, Static

from quizapp.decks.content import Kind
from quizapp.decks.mathtext import to_unicode
from quizapp.decks.variants import Variant
from quizapp.errors import SaveFailed
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.study.session import Outcome
from quizapp.tui.answer_widgets import Sitting, answer_widget
from quizapp.tui.code_check import CodeCheckFlow
from quizapp.tui.footer import Footer
from quizapp.tui.rating_keys import ratings_text
from quizapp.tui.save_guard import keeps_work_if_not_saved
from quizapp.tui.study_base import Stage, text_areas
from quizapp.tui.study_result import ResultPanel
from quizapp.tui.widgets import ChoiceList, QuestionPane


class StudyScreen(CodeCheckFlow, ResultPanel):
    """Shows the session's questions and takes their answers (see `study_base.StudyBase`)."""

    BINDINGS = [
        Binding("escape", "leave", "Home", id="leave"),
        Binding("space", "reveal", "Reveal", id="reveal"),
        Binding("1", "rate(1)", "Again", id="again"),
        Binding("2", "rate(2)", "Hard", id="hard"),
        Binding("3", "rate(3)", "Good", id="good"),
        Binding("4", "rate(4)", "Easy", id="easy"),
        Binding("ctrl+s", "submit_text", "Submit", id="submit_text"),
        Binding("ctrl+r", "run_check", "Run check", id="run_check", priority=True),
        Binding("ctrl+g", "give_up", "Show solution", id="give_up", priority=True),
        Binding("ctrl+l", "last_attempt", "Last attempt", id="last_attempt", priority=True),
        Binding(
            "ctrl+e", "open_editor", "Your editor", id="open_editor", show=False, priority=True
        ),
        Binding("n,enter", "next", "Next", id="next"),
        Binding("ctrl+n", "skip", "Skip", id="skip", priority=True),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+up", "scroll_pane(-3)", "Scroll up", show=False, priority=True),
        Binding("ctrl+down", "scroll_pane(3)", "Scroll down", show=False, priority=True),
        Binding("ctrl+c", "cancel_check", "Cancel check", id="cancel_check", priority=True),
        Binding("escape", "cancel_check", "Cancel check", show=False, priority=True),
        Binding("pageup", "page_pane(-1)", "Page up", show=False),
        Binding("pagedown", "page_pane(1)", "Page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="status"):
            yield Static(id="progress")  # a long topic name gives way (ellipsis) …
            yield Static(id="question-id")  # … the id always shows
        with QuestionPane(id="question-pane"):
            yield Markdown(id="prompt")
            yield Static(id="answer-hint")
            yield Horizontal(id="answer-area")
            yield Static(id="verdict")
            yield Markdown(id="feedback")
            explanation = Markdown(id="explanation")
            explanation.display = False  # until the answer is in
            yield explanation
        yield Footer()

    async def on_mount(self) -> None:
        await self.advance()

    # -- showing a question -------------------------------------------------------------

    async def advance(self) -> None:
        variant = self.session.next()
        if variant is None:
            await self.finish()
            return
        await self._show(variant)

    async def _show(self, variant: Variant) -> None:
        """Put a question on screen, ready for an answer (a new one, or one taken back)."""
        self.stage = Stage.ANSWER
        question = variant.question
        self.query_one("#prompt", Markdown).update(
            to_unicode(f"## {question.title}\n\n{variant.prompt}")
        )
        self.query_one("#verdict", Static).update("")
        self.query_one("#verdict", Static).set_classes("")
        self.query_one("#feedback", Markdown).update("")
        self.query_one("#explanation", Markdown).display = False
        self._check_status = ("", "")  # the last question's check
        self._update_progress()
        self._outcome = None
        self._has_last_attempt = False
        self.drafts.attach(None)
        self._label_rating_keys({})
        await self._build_answer_widget()
        self.refresh_bindings()
        pane = self.query_one("#question-pane", QuestionPane)
        pane.keep_end_in_view(False)  # the question first; the pane follows the editor's cursor
        pane.scroll_home(animate=False)
        self.call_after_refresh(self._prepare_explanation_of, variant)  # once it is painted

    def _prepare_explanation_of(self, variant: Variant) -> None:
        if self.session.current is not None and self.session.variant is variant:
            self.prepare_explanation(variant)

    async def _build_answer_widget(self) -> None:
        area = self.query_one("#answer-area", Horizontal)
        await area.remove_children()
        question = self.session.question
        kind = handler(question.kind)
        no_checks = self._why_no_checks() if kind.judge == Judge.GRADER else ""
        built = answer_widget(
            self.session.variant, Sitting.STUDY, self.session.draft, no_checks=no_checks
        )
        self.query_one("#answer-hint", Static).update(built.hint)
        if no_checks:
            self.query_one("#verdict", Static).update(no_checks)
            self.query_one("#verdict", Static).set_classes("pending")
        # Code starts from the stub (or the draft typed before the app closed); the last
        # attempt is one key away (ctrl+l) and caps the rating.
        self._saved_text = kind.stub(question) or ""
        if kind.judge == Judge.GRADER:
            self._has_last_attempt = self.session.store.last_attempt(question.id) is not None
        if built.editor is not None:
            self.drafts.attach(built.editor, built.text)
        await area.mount(built.widget)
        if built.restored:
            self.notify("What you were typing here when you left off is back in the editor.")
        tall = built.editor is not None
        area.set_class(tall, "tall")
        built.widget.focus(scroll_visible=not tall)  # a tall editor: the pane follows its cursor

    # -- answering ------------------------------------------------------------------------

    @on(Input.Submitted, "#numeric-answer")
    @keeps_work_if_not_saved
    def numeric_submitted(self, event: Input.Submitted) -> None:
        if self.stage != Stage.ANSWER:
            return
        self.show_outcome(self.session.answer_numeric(event.value))

    @on(ChoiceList.Submitted, "#choices")
    @keeps_work_if_not_saved
    def choice_submitted(self, event: ChoiceList.Submitted) -> None:
        shown = self.session.variant.shown_options()  # position on screen -> option
        outcome = self.session.answer_choice({shown[p] for p in event.selected})
        if outcome.final:
            widget = event.choice_list
            for position, index in enumerate(shown):
                option = self.session.question.options[index]
                if option.correct:
                    widget.marks[position] = "✓ " + option.why if option.why else "✓"
                elif position in event.selected:
                    widget.marks[position] = "✗ " + option.why if option.why else "✗"
            widget.locked = True
            widget.refresh(layout=True)  # the reasons under the options take lines
        self.show_outcome(outcome)

    @on(ChoiceList.Submitted, "#rubric")
    @keeps_work_if_not_saved
    async def rubric_submitted(self, event: ChoiceList.Submitted) -> None:
        outcome = self.session.rate_rubric(event.selected)
        event.choice_list.locked = True
        await self._move_on(outcome)

    def action_reveal(self) -> None:
        if self.stage != Stage.ANSWER or self.session.current is None:
            return
        if self.session.question.kind != Kind.FLASHCARD:
            return
        outcome = self.session.reveal()
        back = self.query_one("#card-back", Markdown)
        back.update(to_unicode(outcome.message))
        back.display = True
        self.show_explanation()  # rating moves straight on, so the explanation comes with the back
        previews = self.session.preview()
        self._label_rating_keys(previews)
        self.query_one("#answer-hint", Static).update(
            "How well did you know it? " + ratings_text(previews, self.session.clock())
        )
        self.stage = Stage.REVEALED
        self.refresh_bindings()

    @keeps_work_if_not_saved
    async def action_rate(self, value: int) -> None:
        if self.stage == Stage.REVEALED:
            await self._move_on(self.session.rate(Rating(value)))
        elif self.stage == Stage.RESULT and self.check_action("rate", (value,)):
            outcome = self.session.change_rating(Rating(value))  # before moving on
            if outcome is not None:
                self._outcome = outcome
                self._show_verdict_line(outcome)
                self.refresh_bindings()

    async def _move_on(self, outcome: Outcome) -> None:
        """Self-rated cards go straight to the next question, as in Anki: the student has
        seen the answer already. The rating stays in view on a line of the next question
        (toasts would pile up over the question when rating fast); `u` takes it back."""
        said = "" if outcome.message.startswith("Rated") else f"{outcome.message} "  # in due text
        await self.advance()
        last = self.query_one("#verdict", Static)
        last.set_classes("last-answer")
        last.update(
            Text.assemble(
                (f"Last answer: {said}", "dim"),
                Text.from_markup(self._due_text(outcome).replace("(", "", 1).replace(")", "", 1)),
                (" · u undoes it", "dim"),
            )
        )

    @keeps_work_if_not_saved
    async def action_undo(self) -> None:
        if not self.check_action("undo", ()):
            return
        variant = self.session.undo()
        if variant is None:
            self.notify(
                "That answer can no longer be undone: the card was answered again elsewhere.",
                severity="warning",
            )
            self.refresh_bindings()
            return
        await self._show(variant)
        self.query_one("#verdict", Static).update(
            Text("Answer undone: its review is gone and the schedule is as before.", "dim")
        )

    async def action_submit_text(self) -> None:
        if self.stage != Stage.ANSWER or self.session.question.kind != Kind.OPEN:
            return
        text = self._text_area("#open-answer").text
        if not text.strip():
            self.notify("Write an answer first; even a few words help you remember.")
            return
        outcome = self.session.submit_open(text)
        question = self.session.question
        self.query_one("#answer-hint", Static).update(
            "Compare with the model answer below (ctrl+↓ scrolls), tick the key points you "
            "covered (number keys or space), then press enter."
        )
        rubric = ChoiceList(
            [to_unicode(r, markdown=False) for r in question.rubric], multiple=True, id="rubric"
        )
        self.query_one("#question-pane", QuestionPane).keep_end_in_view(False)
        area = self.query_one("#answer-area", Horizontal)
        area.remove_class("tall")
        await area.remove_children()
        await area.mount(rubric)
        self._open_feedback = (
            f"**Your answer**\n\n{_quote(text)}\n\n### Model answer\n\n{outcome.message}"
            f"\n\n### Why\n\n{self.session.variant.explanation}"
        )
        shown = self.query_one("#feedback", Markdown).update(to_unicode(self._open_feedback))
        rubric.focus()
        # the rubric at the top, the model answer below it
        self.run_worker(
            self._scroll_when_shown(shown, target="#answer-hint"), group="scroll", exclusive=True
        )
        self.stage = Stage.RUBRIC
        self.refresh_bindings()

    def on_text_area_changed(self) -> None:
        """Typing: keep the draft (by name, as TextArea is imported lazily)."""
        if self.stage == Stage.ANSWER:
            self.drafts.changed()

    def on_unmount(self) -> None:
        """ctrl+q or a closed terminal: what was typed since the last save is kept (an
        answered question has no draft: the session ignores it)."""
        self.drafts.cancel()
        with suppress(SaveFailed):  # closing: nobody is left to tell; the last save stands
            self.drafts.save()

    async def action_next(self) -> None:
        if self.stage == Stage.RESULT:
            await self.advance()

    @keeps_work_if_not_saved
    async def action_skip(self) -> None:
        if self.stage in (Stage.ANSWER, Stage.REVEALED) and self.session.current is not None:
            self.drafts.save()  # a skipped question keeps what was typed for next time
            self.session.skip()
            await self.advance()

    def action_leave(self) -> None:
        """Home; text typed since the last check would be lost, so that needs a yes.
        Leaving drops the question's draft (only a quit or a skip keeps one)."""
        if not self._unsaved_text():
            self._leave_if_confirmed(True)
            return
        from quizapp.tui.confirm import Confirm

        self.app.push_screen(
            Confirm(
                "Leave this question?",
                "Your edits since the last check are not kept."
                if handler(self.session.question.kind).judge == Judge.GRADER
                else "Your answer is not kept.",
                yes="Leave",
            ),
            self._leave_if_confirmed,
        )

    def _leave_if_confirmed(self, leave: bool | None) -> None:
        if leave:
            with suppress(SaveFailed):  # a draft left behind only comes back next time
                self.drafts.discard()
            self.app.pop_screen()

    def _unsaved_text(self) -> bool:
        if self.stage not in (Stage.ANSWER, Stage.CHECKING):
            return False
        return any(
            editor.text.strip() and editor.text != self._saved_text for editor in text_areas(self)
        )

    async def finish(self) -> None:
        s = self.session
        self.stage = Stage.DONE
        await self.query_one("#answer-area", Horizontal).remove_children()
        self.query_one("#answer-hint", Static).update("")
        self.query_one("#verdict", Static).update("")
        self.query_one("#prompt", Markdown).update(
            f"## Session complete\n\nYou answered **{s.done}** question(s); "
            f"**{s.correct_count}** right or rated Good and above.\n\nPress esc to go back Home."
        )
        self.query_one("#feedback", Markdown).update("")
        self.query_one("#explanation", Markdown).display = False
        self._check_status = ("", "")
        self.query_one("#progress", Static).set_classes("")
        self.query_one("#progress", Static).update(f" {self.heading} · finished")
        self.query_one("#question-id", Static).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that do something right now."""
        kind = self.session.current.question.kind if self.session.current else None
        code = kind is not None and handler(kind).judge == Judge.GRADER
        allowed = {
            "reveal": self.stage == Stage.ANSWER and kind == Kind.FLASHCARD,
            "rate": self.stage == Stage.REVEALED
            or (
                self.stage == Stage.RESULT
                and self._outcome is not None
                and self._outcome.recorded
                and bool(parameters)
                and isinstance(parameters[0], int)
                and parameters[0] <= self._outcome.cap
            ),
            "submit_text": self.stage == Stage.ANSWER and kind == Kind.OPEN,
            "run_check": self.stage == Stage.ANSWER and code and self.session.grader is not None,
            "cancel_check": self.stage == Stage.CHECKING,
            "give_up": self.stage == Stage.ANSWER and code,
            "last_attempt": self.stage == Stage.ANSWER and code and self._has_last_attempt,
            "open_editor": self.stage == Stage.ANSWER and code,
            "next": self.stage == Stage.RESULT,
            "skip": self.stage in (Stage.ANSWER, Stage.REVEALED),
            "undo": self.session.can_undo and self.stage != Stage.CHECKING and not self._typing(),
        }
        return allowed.get(action, True)

    def _typing(self) -> bool:
        """A text field has the focus: there `u` is a letter, not undo."""
        focused = self.focused
        return isinstance(focused, Input) or getattr(focused, "id", None) in (
            "open-answer",
            "code-answer",
        )


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines())
