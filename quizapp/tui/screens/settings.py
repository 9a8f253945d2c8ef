"""Settings: desired retention, exam date, daily new cards, leech threshold, and fitting
FSRS to the student's own history (run in a worker thread, with progress shown)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Header, Input, Label, ProgressBar, Static

from quizapp.progress.settings import (
    BOUNDS,
    EXAM_MINUTES,
    LEECH_THRESHOLD,
    NEW_PER_DAY,
    RETENTION,
    Bound,
    Settings,
)
from quizapp.progress.store import Store
from quizapp.study import fsrs_fit as personal
from quizapp.study import insights
from quizapp.study import planner as exam_planner
from quizapp.study.stats import local_day
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.save_guard import keeps_work_if_not_saved


class SettingsError(ValueError):
    """A field the student has to correct; the message says how."""


def parse_settings(
    retention: str,
    exam: str,
    new_per_day: str,
    leech: str,
    *,
    today: date | None = None,
    saved_exam: date | None = None,
    minutes: str | None = None,
    weights: str | None = None,
    topics: list[str] | None = None,
) -> dict:
    """Validated values from the form's text, or SettingsError.

    An exam date before `today` is refused, unless it is the one already saved (an exam
    that has since passed must not stop the other settings from being saved)."""
    texts = {RETENTION.key: retention, NEW_PER_DAY.key: new_per_day, LEECH_THRESHOLD.key: leech}
    if minutes is not None:
        texts[EXAM_MINUTES.key] = minutes
    try:
        numbers = Settings.parse(texts)
    except ValueError as err:
        raise SettingsError(str(err)) from None
    try:
        exam_weights = (
            None if weights is None else exam_planner.parse_weights(weights, topics or [])
        )
    except ValueError as err:
        raise SettingsError(f"Exam weights: {err}.") from None
    try:
        exam_date = insights.parse_exam_date(exam) if exam.strip() else None
        if exam_date is not None and exam_date != saved_exam:
            insights.parse_exam_date(exam, today)
    except ValueError as err:
        raise SettingsError(f"Exam date: {err}.") from None
    return {**asdict(numbers), "exam_date": exam_date, "exam_weights": exam_weights}


class InBounds(Validator):
    """Marks a field invalid as it is typed, by the same rule the domain applies."""

    def __init__(self, bound: Bound) -> None:
        super().__init__()
        self.bound = bound

    def validate(self, value: str) -> ValidationResult:
        try:
            self.bound.parse(value)
        except ValueError as err:
            return self.failure(str(err))
        return self.success()


def _field(bound: Bound, value: float | int, field_id: str) -> Input:
    return Input(str(value), id=field_id, validators=[InBounds(bound)])


class SettingsScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Home", id="settings_home"),
        Binding("ctrl+s", "save", "Save", id="settings_save", priority=True),
        Binding("ctrl+o", "optimize", "Fit FSRS to my history", id="optimize", priority=True),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        exam = insights.get_exam_date(store)
        current = Settings.load(store)
        yield Header()
        with VerticalScroll(id="settings"):
            with Grid(id="settings-form"):
                yield Label("Desired retention")
                yield _field(RETENTION, current.desired_retention, "retention")
                yield Static(
                    f"[dim]recall FSRS aims for, {RETENTION.hint()} (higher: more reviews)[/dim]"
                )
                yield Label("Exam date")
                yield Input(exam.isoformat() if exam else "", placeholder="YYYY-MM-DD", id="exam")
                yield Static("[dim]plan so recall on that day is high; empty for none[/dim]")
                yield Label("Exam minutes a day")
                yield _field(EXAM_MINUTES, current.exam_minutes, "exam-minutes")
                yield Static(f"[dim]time the exam plan fills each day, {EXAM_MINUTES.hint()}[/dim]")
                yield Label("Exam weights")
                yield Input(
                    exam_planner.format_weights(exam_planner.exam_weights(self.app.library, store)),
                    placeholder="topic=weight …  (unlisted topics weigh 1)",
                    tooltip="How much each topic counts on the exam: topic=weight pairs; "
                    "topics not listed weigh 1. The exercise sheet's topics start at 2.",
                    id="exam-weights",
                )
                yield Label("New cards per day")
                yield _field(NEW_PER_DAY, current.new_per_day, "new-per-day")
                yield Static(
                    f"[dim]questions introduced by Review each day, {NEW_PER_DAY.hint()}[/dim]"
                )
                yield Label("Leech threshold")
                yield _field(LEECH_THRESHOLD, current.leech_threshold, "leech")
                yield Static(
                    f"[dim]lapses before a card is flagged on Home, {LEECH_THRESHOLD.hint()}[/dim]"
                )
            yield Static(id="settings-message")
            yield Static(id="fsrs-status")
            yield ProgressBar(total=None, show_eta=False, id="optimize-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#optimize-progress").display = False
        self.query_one("#retention", Input).focus()
        self._show_fsrs_status()

    def _show_fsrs_status(self) -> None:
        store = self.app.store
        spaced = personal.readiness(store)
        fitted = store.get_setting("fsrs_parameters")
        when = store.get_setting("fsrs_optimized_at")
        using = (
            f"Using [b]personal[/b] FSRS parameters (fitted {when[:10]})."
            if fitted and when
            else "Using personal FSRS parameters."
            if fitted
            else "Using the default FSRS parameters."
        )
        if spaced >= personal.MIN_SPACED_REVIEWS:
            ready = f"{spaced} spaced reviews available: ctrl+o fits FSRS to them."
        else:
            ready = (
                f"{spaced} of the {personal.MIN_SPACED_REVIEWS} spaced reviews (a day or more "
                "apart) needed to fit FSRS to your memory."
            )
        self.query_one("#fsrs-status", Static).update(f"{using}\n{ready}")

    def _message(self, text: str, *, error: bool = False) -> None:
        box = self.query_one("#settings-message", Static)
        box.set_class(error, "error")
        box.update(text)

    @keeps_work_if_not_saved(
        what_now="What you typed is still here: save again once that is fixed."
    )
    def action_save(self) -> None:
        try:
            values = parse_settings(
                self.query_one("#retention", Input).value,
                self.query_one("#exam", Input).value,
                self.query_one("#new-per-day", Input).value,
                self.query_one("#leech", Input).value,
                today=local_day(self.app.clock()),
                saved_exam=insights.get_exam_date(self.app.store),
                minutes=self.query_one("#exam-minutes", Input).value,
                weights=self.query_one("#exam-weights", Input).value,
                topics=self.app.library.topics,
            )
        except SettingsError as err:
            self._message(str(err), error=True)
            return
        store = self.app.store
        with store.write_transaction():  # all of it or, if the save fails, none of it
            Settings(**{key: values[key] for key in BOUNDS}).save(store)
            insights.set_exam_date(store, values["exam_date"])
            if values["exam_weights"] is not None:
                exam_planner.save_weights(store, values["exam_weights"])
        self.query_one("#retention", Input).value = str(values["desired_retention"])
        self._message("Saved. The next review uses these settings.")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_optimize(self) -> None:
        if self.query_one("#optimize-progress").display:
            return  # already running
        self.query_one("#optimize-progress").display = True
        self._message("Fitting FSRS to your history; you can keep using the app.")
        self._optimize()

    @work(thread=True, exit_on_error=False, group="optimize")
    def _optimize(self) -> None:
        app = self.app

        def progress(text: str) -> None:
            app.call_from_thread(self._message, text)

        # A connection of its own: SQLite connections must not be used from two threads at once.
        store = app.store if app.store.is_memory else Store(app.store.path)
        try:
            result = personal.optimize(store, app.clock(), progress=progress)
        except Exception as err:  # the optimizer is third-party maths: report, never crash
            app.call_from_thread(self._optimize_done, f"Fitting failed: {err}", True)
            return
        finally:
            if store is not app.store:
                store.close()
        app.call_from_thread(self._optimize_done, result.message, not result.optimized)

    def _optimize_done(self, message: str, problem: bool) -> None:
        self.query_one("#optimize-progress").display = False
        self._message(message, error=problem)
        self._show_fsrs_status()
        if not problem:
            self.app.notify(message, title="Personal scheduling")
