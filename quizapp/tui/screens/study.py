"""Study: one question at a time, the answer widget its kind needs, then the verdict."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from fsrs import Rating
from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Markdown, Static

from quizapp.decks.content import Kind
from quizapp.decks.mathtext import to_unicode
from quizapp.decks.variants import solver_source
from quizapp.grading.verdict import Status
from quizapp.kinds import handler
from quizapp.progress.store import Mode
from quizapp.study.session import Outcome, StudySession
from quizapp.tui.app import QuizApp
from quizapp.tui.draft_saver import DraftSaver
from quizapp.tui.rating_keys import label_rating_keys, ratings_text
from quizapp.tui.widgets import AnswerInput, ChoiceList, Footer, QuestionPane

if TYPE_CHECKING:
    from textual.widgets import TextArea


class Stage(StrEnum):
    """Where the screen is with the current question; it decides which keys work."""

    ANSWER = "answer"  # waiting for an answer
    REVEALED = "revealed"  # a flashcard's back is shown; waiting for a rating
    RUBRIC = "rubric"  # an open answer is in; ticking the key points it covered
    CHECKING = "checking"  # a code check is running
    RESULT = "result"  # the verdict and explanation are shown
    DONE = "done"  # the session is over


CANCEL_KEY_AFTER_S = 0.3  # a check still running then gets "ctrl+c Cancel check" in the footer


def check_label(status: str) -> str:
    """The words for a failed check: a verdict status's label, else the status itself."""
    known = {s.value: s for s in Status}.get(status)
    return known.label if known is not None else status.capitalize()


def _text_areas(screen: Screen) -> list[TextArea]:
    from textual.widgets import TextArea  # imported on first use: ~10 ms of start-up

    return list(screen.query("#answer-area TextArea").results(TextArea))


class StudyScreen(Screen):
    """Drives a `StudySession`; every decision about grading and recording is the session's."""

    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

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

    def __init__(self, session: StudySession, title: str) -> None:
        super().__init__()
        self.session = session
        self.heading = title
        self.stage = Stage.ANSWER
        self._saved_text = ""  # the editor's text as last kept (stub, last attempt or "")
        self._outcome: Outcome | None = None  # the current question's recorded answer
        self._has_last_attempt = False  # a code question with a checked attempt on file
        self.drafts = DraftSaver(session, self.set_timer)  # typed text survives a quit
        self._open_feedback = ""
        self._check_number = 0  # a cancelled check's late verdict is recognised and dropped

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

    async def _show(self, variant) -> None:
        """Put a question on screen, ready for an answer (a new one, or one taken back)."""
        self.stage = Stage.ANSWER
        question = variant.question
        self.query_one("#prompt", Markdown).update(
            to_unicode(f"## {question.title}\n\n{variant.prompt}")
        )
        self.query_one("#verdict", Static).update("")
        self.query_one("#verdict", Static).set_classes("")
        self.query_one("#feedback", Markdown).update("")
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

    def _update_progress(self) -> None:
        s = self.session
        question = s.question
        topic = s.library.topic_title(question.topic)
        where = "" if topic in self.heading else f" · {topic}"
        self.query_one("#progress", Static).update(
            # what matters most first: a long heading ("Weak · …") is cut at the end
            f" {s.done} done · {_left(s)} · {handler(question.kind).label} · {self.heading}{where}"
        )
        self.query_one("#question-id", Static).update(f" {question.id} ")

    async def _build_answer_widget(self) -> None:
        area = self.query_one("#answer-area", Horizontal)
        await area.remove_children()
        question = self.session.question
        hint = self.query_one("#answer-hint", Static)
        self._saved_text = ""
        draft: str | None = None  # text typed here before the app was closed
        widget: Widget
        if question.kind == Kind.NUMERIC:
            unit = f" in {question.unit}" if question.unit else ""
            hint.update(
                f"Type your answer{unit} (units like GB, GiB, TB are understood) and press enter."
            )
            widget = AnswerInput(placeholder=f"answer{unit}", id="numeric-answer")
        elif question.kind == Kind.CHOICE:
            how = "Select all that apply" if question.multiple else "Pick one"
            hint.update(f"{how}: number keys or space to select, enter to submit.")
            options = question.options
            widget = ChoiceList(
                [
                    to_unicode(options[i].text, markdown=False)
                    for i in self.session.variant.shown_options()
                ],
                multiple=question.multiple,
                id="choices",
            )
        elif question.kind == Kind.FLASHCARD:
            hint.update("Recall the answer, then press space to reveal it.")
            widget = Markdown("", id="card-back")
            widget.display = False
        elif question.kind == Kind.OPEN:
            from quizapp.tui.editor import AnswerArea  # imports TextArea: first use only

            hint.update(
                "Write your explanation, then press ctrl+s to compare with the model answer."
            )
            draft = self.session.draft()
            widget = AnswerArea(draft or "", id="open-answer", soft_wrap=True)
            self.drafts.attach(widget, draft or "")
        else:
            from quizapp.tui.editor import CodeEditor  # imports TextArea: first use only

            no_checks = self._why_no_checks()
            hint.update(
                "Write the function (ctrl+e: in your own editor); ctrl+g shows the solution "
                "to compare, esc leaves the editor, ctrl+↑/↓ scrolls the question."
                if no_checks
                else "Edit the function (ctrl+e: in your own editor); ctrl+r runs the check, "
                "ctrl+g shows the solution, esc leaves the editor, ctrl+↑/↓ scrolls the question."
            )
            if no_checks:
                self.query_one("#verdict", Static).update(no_checks)
                self.query_one("#verdict", Static).set_classes("pending")
            # A review starts from the stub (or the draft typed before the app closed);
            # the last attempt is one key away (ctrl+l) and caps the rating.
            self._has_last_attempt = self.session.store.last_attempt(question.id) is not None
            draft = self.session.draft()
            source = question.stub if draft is None else draft
            widget = CodeEditor.code_editor(source, language="python", id="code-answer")
            self.drafts.attach(widget, source)
            self._saved_text = question.stub
        await area.mount(widget)
        if draft:
            self.notify("What you were typing here when you left off is back in the editor.")
        tall = question.kind in (Kind.OPEN, Kind.CODE)
        area.set_class(tall, "tall")
        widget.focus(scroll_visible=not tall)  # a tall editor: the pane follows its cursor

    # -- answering ------------------------------------------------------------------------

    @on(Input.Submitted, "#numeric-answer")
    def numeric_submitted(self, event: Input.Submitted) -> None:
        if self.stage != Stage.ANSWER:
            return
        self.show_outcome(self.session.answer_numeric(event.value))

    @on(ChoiceList.Submitted, "#choices")
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
            widget.refresh()
        self.show_outcome(outcome)

    @on(ChoiceList.Submitted, "#rubric")
    async def rubric_submitted(self, event: ChoiceList.Submitted) -> None:
        event.choice_list.locked = True
        await self._move_on(self.session.rate_rubric(event.selected))

    def action_reveal(self) -> None:
        if self.stage != Stage.ANSWER or self.session.current is None:
            return
        if self.session.question.kind != Kind.FLASHCARD:
            return
        outcome = self.session.reveal()
        back = self.query_one("#card-back", Markdown)
        back.update(to_unicode(outcome.message))
        back.display = True
        # Rating moves straight on, so the explanation comes with the back.
        question = self.session.question
        self.query_one("#feedback", Markdown).update(
            to_unicode(
                f"### Why\n\n{self.session.variant.explanation}\n\n*Source: {question.source}*"
            )
        )
        previews = self.session.preview()
        self._label_rating_keys(previews)
        self.query_one("#answer-hint", Static).update(
            "How well did you know it? " + ratings_text(previews, self.session.clock())
        )
        self.stage = Stage.REVEALED
        self.refresh_bindings()

    async def action_rate(self, value: int) -> None:
        if self.stage == Stage.REVEALED:
            await self._move_on(self.session.rate(Rating(value)))
        elif self.stage == Stage.RESULT and self.check_action("rate", (value,)):
            outcome = self.session.change_rating(Rating(value))  # before moving on
            if outcome is not None:
                self._outcome = outcome
                self._show_verdict_line(outcome)
                self.refresh_bindings()

    def _label_rating_keys(self, previews: dict[Rating, datetime]) -> None:
        """Each rating key in the footer shows its next interval (computed by fsrs)."""
        label_rating_keys(self._bindings, previews, self.session.clock())

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

    def _text_area(self, selector: str) -> TextArea:
        from textual.widgets import TextArea

        return self.query_one(selector, TextArea)

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
            self._scroll_when_shown(shown, "#answer-hint"), group="scroll", exclusive=True
        )
        self.stage = Stage.RUBRIC
        self.refresh_bindings()

    def action_run_check(self) -> None:
        if self.stage != Stage.ANSWER or self.session.question.kind != Kind.CODE:
            return
        source = self._text_area("#code-answer").text
        self.stage = Stage.CHECKING
        self._check_number += 1
        warming = getattr(self.session.grader, "ready", True) is False
        verdict = self.query_one("#verdict", Static)
        verdict.update(
            "Starting the checker (once per run, a few seconds)… then checking your code."
            if warming
            else "Checking your code…"
        )
        verdict.set_classes("pending")
        self.query_one("#feedback", Markdown).update("")  # the last failure is history now
        pane = self.query_one("#question-pane", QuestionPane)
        self.call_after_refresh(pane.scroll_to_widget, verdict, animate=False)
        # ctrl+c / esc cancel at once; the footer says so only if the check takes a while,
        # so a quick check rebuilds the footer once (for the verdict), not twice.
        self.set_timer(CANCEL_KEY_AFTER_S, self._show_cancel_key)
        self._check(source, self._check_number)

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
        self.refresh_bindings()

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

    def on_text_area_changed(self) -> None:
        """Typing: keep the draft (by name, as TextArea is imported lazily)."""
        if self.stage == Stage.ANSWER:
            self.drafts.changed()

    def on_unmount(self) -> None:
        """ctrl+q or a closed terminal: what was typed since the last save is kept (an
        answered question has no draft: the session ignores it)."""
        self.drafts.cancel()
        self.drafts.save()

    def action_open_editor(self) -> None:
        """The code in $VISUAL/$EDITOR while the app is suspended; the buffer then reloads."""
        if self.stage != Stage.ANSWER or self.session.question.kind != Kind.CODE:
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
        verdict: object  # the CodeVerdict, or the exception that stopped the check
        try:
            verdict = self.session.grade_code(source)
        except Exception as err:  # the grader must never take the app down
            verdict = err
        # mypy cannot bind call_from_thread's return type for an async callback
        self.app.call_from_thread(self._checked, source, verdict, number)  # type: ignore[arg-type]

    async def _checked(self, source: str, verdict, number: int) -> None:
        """Back on the UI thread: record the attempt (database access stays on this thread)."""
        if number != self._check_number or getattr(verdict, "status", "") == Status.CANCELLED:
            return  # cancelled: the screen already says so, and nothing is recorded
        if verdict is None:
            outcome = Outcome("error", self._why_no_checks())
        elif isinstance(verdict, Exception):
            outcome = Outcome("error", f"The check could not run: {verdict}")
        else:
            outcome = self.session.record_check(source, verdict)
            self._saved_text = source  # every check keeps the attempt
            self._warn_once_about_sandbox()
        self.stage = Stage.ANSWER
        if outcome.final:
            self.show_outcome(outcome)
            return
        verdict = self.query_one("#verdict", Static)
        label = check_label(outcome.status)
        verdict.update(f"✗ {label} — fix it and run the check again (ctrl+r)")
        verdict.set_classes("wrong")
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

    async def _scroll_when_shown(
        self, feedback_update, target: str = "#verdict", *, top: bool = True
    ) -> None:
        """Scroll once the feedback is rendered: before, the pane may be too short to."""
        await feedback_update
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

    def _scroll_to_top(self, widget, *, top: bool = True) -> None:
        """Once laid out, scroll the pane so `widget` is at its top (with `top=False`: just
        in view), and stays put."""
        pane = self.query_one("#question-pane", QuestionPane)
        pane.keep_end_in_view(False)
        self.call_after_refresh(pane.scroll_to_widget, widget, top=top, animate=False)

    def action_give_up(self) -> None:
        """Showing the solution ends the question as not solved: ask first."""
        if self.stage != Stage.ANSWER or self.session.question.kind != Kind.CODE:
            return
        from quizapp.tui.confirm import Confirm

        counts = (
            "In a review this counts as Again: the card comes back soon."
            if self.session.mode == Mode.REVIEW
            else "It is recorded as not solved; practice leaves the schedule as it is."
        )
        self.app.push_screen(Confirm("Show the solution?", counts, yes="Show it"), self._give_up)

    def _give_up(self, confirmed: bool | None) -> None:
        if confirmed and self.stage == Stage.ANSWER and self.session.current is not None:
            source = self._text_area("#code-answer").text
            self.show_outcome(self.session.give_up(source))

    # -- results --------------------------------------------------------------------------

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
        if question.kind == Kind.CODE and outcome.status != "correct":
            reference = solver_source(question.reference)
            parts.append(f"### A reference solution\n\n```python\n{reference}\n```")
        parts.append(f"### Why\n\n{variant.explanation}")
        parts.append(f"*Source: {question.source}*")
        for field in self.query("#answer-area Input"):
            field.disabled = True  # the answer stays visible but can no longer change
        self.query_one("#answer-hint", Static).update(
            "Press enter or n for the next question, 1–4 to change the rating, esc for Home."
        )
        self.set_focus(None)  # enter/n now go to the screen: next question
        self.refresh_bindings()
        # The verdict line is painted first; the feedback (Markdown to parse and lay out)
        # and the read-only editor (re-rendered) follow in the next frame.
        top = question.kind in (Kind.CODE, Kind.OPEN, Kind.NUMERIC)  # the verdict repeats it
        self.call_after_refresh(
            self._show_feedback, to_unicode("\n\n".join(p for p in parts if p)), top
        )

    def _show_feedback(self, text: str, top: bool) -> None:
        if self.stage != Stage.RESULT:
            return  # moved on (or undone) before this frame
        for editor in _text_areas(self):
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

    async def action_next(self) -> None:
        if self.stage == Stage.RESULT:
            await self.advance()

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
                if self.session.question.kind == Kind.CODE
                else "Your answer is not kept.",
                yes="Leave",
            ),
            self._leave_if_confirmed,
        )

    def _leave_if_confirmed(self, leave: bool | None) -> None:
        if leave:
            self.drafts.discard()
            self.app.pop_screen()

    def _unsaved_text(self) -> bool:
        if self.stage not in (Stage.ANSWER, Stage.CHECKING):
            return False
        return any(
            editor.text.strip() and editor.text != self._saved_text for editor in _text_areas(self)
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
        self.query_one("#progress", Static).update(f" {self.heading} · finished")
        self.query_one("#question-id", Static).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Show in the footer only the keys that do something right now."""
        kind = self.session.current.question.kind if self.session.current else None
        allowed = {
            "reveal": self.stage == Stage.ANSWER and kind == Kind.FLASHCARD,
            "rate": self.stage == Stage.REVEALED
            or (
                self.stage == Stage.RESULT
                and self._outcome is not None
                and self._outcome.recorded
                and bool(parameters)
                and parameters[0] <= self._outcome.cap
            ),
            "submit_text": self.stage == Stage.ANSWER and kind == Kind.OPEN,
            "run_check": self.stage == Stage.ANSWER
            and kind == Kind.CODE
            and self.session.grader is not None,
            "cancel_check": self.stage == Stage.CHECKING,
            "give_up": self.stage == Stage.ANSWER and kind == Kind.CODE,
            "last_attempt": self.stage == Stage.ANSWER
            and kind == Kind.CODE
            and self._has_last_attempt,
            "open_editor": self.stage == Stage.ANSWER and kind == Kind.CODE,
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


def _headline(outcome: Outcome) -> str:
    """The verdict line: one sentence; a code check's full report goes to the feedback below."""
    check = outcome.verdict
    if check is not None and outcome.status == Status.CORRECT:
        return f"Correct: all {check.cases_total} test cases match the reference."
    return outcome.message


def _left(session: StudySession) -> str:
    """ "19 left +1 repeat": cards in a learning step of minutes come back this session,
    counted apart so answering the first card never leaves "20 left"."""
    repeats = session.repeats_left
    extra = f" +{repeats} repeat{'s' if repeats > 1 else ''}" if repeats else ""
    return f"{session.remaining - repeats} left{extra}"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines())
