"""The Textual application: builds the domain objects once and hands them to screens."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen

from quizapp.decks.content import Library, load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import Clock, StudySession, utc_now
from quizapp.tui import heap

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizapp.decks.content import Question
    from quizapp.grading.verdict import CodeVerdict

WARM_UP_AFTER_S = 0.25  # Home is on screen and its data read by then


class AppGrader(Protocol):
    """What checks code for the app: study sessions (one test seed) and mock exams (the
    variant's seed); closed when the app ends (a `CodeGrader`, or a test's stand-in)."""

    def grade(self, question: Question, source: str, *, seed: int | None = None) -> CodeVerdict: ...

    def close(self) -> None: ...


class QuizApp(App):
    """quizapp in the terminal."""

    TITLE = "quizapp"
    SUB_TITLE = "attention · Transformers · ViT · contrastive · CLIP"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Screen classes for small terminals (80x24 is the size every screen must work at).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="quit"),
        Binding("f1", "help", "Help", show=False, id="help"),
    ]

    def __init__(
        self,
        library: Library,
        store: Store,
        *,
        clock: Clock = utc_now,
        grader: AppGrader | None = None,
        fuzz: bool = True,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.clock = clock
        self.grader = grader
        self.fuzz = fuzz
        self.start_action: str | None = None  # a Home action to run at once (`quizapp mock`)
        self._collector = heap.IdleCollector()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then the one that shows control characters instead of
        sending them (decks and submissions are hostile text; `quizapp.tui.safe_lines`)."""
        from quizapp.tui.safe_lines import CONTROLS_MADE_VISIBLE

        return [*super().get_line_filters(), CONTROLS_MADE_VISIBLE]

    @property
    def planner(self) -> Planner:
        """Rebuilt on demand so changed settings apply to the next session."""
        return Planner.from_store(self.store, fuzz=self.fuzz)

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        home = HomeScreen()
        self.push_screen(home)
        if self.start_action:
            self.call_after_refresh(home.run_home_action, self.start_action)
        for problem in self.library.problems[:3]:
            self.notify(
                str(problem), title="A deck could not be loaded", severity="warning", timeout=10
            )
        if len(self.library.problems) > 3:
            self.notify(
                f"{len(self.library.problems) - 3} more deck problems; run `quizapp check`",
                severity="warning",
            )
        if not self.is_headless and _terminal_alive():
            self.set_interval(1.0, self._exit_if_terminal_gone)
        # pint's unit registry takes ~0.2 s to build and the study screen's modules (Markdown
        # and its parser, the editor) ~0.1 s to import: done while the student reads Home,
        # not when the first question opens or is answered. It starts once Home is up: a
        # thread busy with Python meanwhile would slow Home's database reads (each row
        # read hands the interpreter lock over and waits to get it back).
        self.set_timer(WARM_UP_AFTER_S, self._start_warm_up)
        self.set_interval(heap.CHECK_EVERY_S, self._collector.tick)
        self.set_timer(heap.FREEZE_AFTER_S, heap.freeze_start_up)  # once the registry is built

    def _start_warm_up(self) -> None:
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._collector.input_seen()  # no garbage collection while the student acts
        await super().on_event(event)

    def _exit_if_terminal_gone(self) -> None:
        """Quit when the terminal is gone. A closed terminal normally sends SIGHUP, but a
        process started through `su -c` or similar gets none, and Textual's input thread
        then spins on the closed input at full CPU. Every answer is already saved."""
        if not _terminal_alive():
            self.exit()

    def start_session(self, session: StudySession, title: str) -> None:
        from quizapp.tui.screens.study import StudyScreen

        if not session.queue:
            self.notify("Nothing to study here right now.", title=title)
            return
        self.push_screen(StudyScreen(session, title))

    def new_session(self, **kwargs: Any) -> StudySession:
        return StudySession(
            self.library, self.store, self.planner, clock=self.clock, grader=self.grader, **kwargs
        )

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Review due cards", "Start the scheduled review", self._palette("review")
        )
        yield SystemCommand("Weak topics", "Practise your weakest topics", self._palette("weak"))
        yield SystemCommand(
            "Cram", "All cards of chosen topics, weakest first", self._palette("cram")
        )
        yield SystemCommand(
            "Drill my misconceptions",
            "Questions where your recorded slips change the answer",
            self._palette("drill"),
        )
        yield SystemCommand(
            "Misconceptions",
            "What your answers showed, and what is fixed",
            self._palette("misconceptions"),
        )
        yield SystemCommand(
            "Exam prep", "Cards predicted below target on exam day", self._palette("exam_prep")
        )
        yield SystemCommand(
            "Mock exam", "A timed exam like the exercise sheet", self._palette("mock")
        )
        yield SystemCommand(
            "Browse questions", "Search, see history, practise", self._palette("browse")
        )
        yield SystemCommand("Stats", "Reviews per day, forecast, retention", self._palette("stats"))
        yield SystemCommand("Settings", "Retention, exam date, fit FSRS", self._palette("settings"))
        yield SystemCommand("Help", "Keys and how grading works", self.action_help)

    def _palette(self, action: str) -> Callable[[], None]:
        def run() -> None:
            from quizapp.tui.screens.home import HomeScreen

            home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
            if home is not None and self.screen is home:
                home.run_home_action(action)
            else:
                self.notify("Go back to Home first (Esc).")

        return run

    def on_unmount(self) -> None:
        heap.thaw()  # what this app built may be freed again (tests run many apps)
        if self.grader is not None:
            self.grader.close()


def make_app(
    db_path: Path | str,
    content_dirs: list[Path] | tuple[Path, ...] = (),
    *,
    bundled: bool = True,
    clock: Clock = utc_now,
    grader: AppGrader | None = None,
    fuzz: bool = True,
) -> QuizApp:
    """The one way to build the app, used by the CLI, the tests and browser mode."""
    library = load_library(content_dirs, bundled=bundled)
    store = Store(db_path)
    if grader is None:
        from quizapp.grading.availability import why_no_code_checks

        if not why_no_code_checks():  # without fork (Windows) code questions say so instead
            from quizapp.grading.code import CodeGrader

            grader = CodeGrader()
    return QuizApp(library, store, clock=clock, grader=grader, fuzz=fuzz)


def _warm_up() -> None:
    import importlib

    from quizapp.study import numeric_answers

    with contextlib.suppress(Exception):  # only a warm-up: a failure shows when it is used
        numeric_answers.warm_up()
    for module in ("quizapp.tui.screens.study", "quizapp.tui.answer_widgets", "quizapp.tui.editor"):
        with contextlib.suppress(Exception):
            importlib.import_module(module)


def _terminal_alive() -> bool:
    """Whether standard input is still a terminal (a hung-up one no longer is)."""
    try:
        return os.isatty(sys.__stdin__.fileno()) if sys.__stdin__ else False
    except (OSError, ValueError):
        return False
