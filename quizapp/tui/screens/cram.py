"""Cram: pick topics, then practise every card in them, weakest first, regardless of due
dates. Answers are recorded as practice, so the schedule is left as it was."""

from __future__ import annotations

from rich.markup import escape
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from quizapp.progress.store import Mode
from quizapp.study.insights import cram_order
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer


class CramPicker(ModalScreen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [
        Binding("enter", "start", "Start cram", priority=True, id="start_cram"),
        Binding("a", "toggle_all", "All / none", id="toggle_all"),
        Binding("escape", "dismiss", "Cancel", id="cancel_cram"),
    ]

    def __init__(self, preselected: list[str]) -> None:
        super().__init__()
        self.preselected = set(preselected)

    def compose(self) -> ComposeResult:
        library = self.app.library
        with Vertical(id="cram-box"):
            yield Static(
                "[b]Cram[/b] — every card of the chosen topics, weakest first, due or not.\n"
                "[dim]space selects a topic · enter starts · answers do not move the schedule"
                "[/dim]",
                id="cram-help",
            )
            yield SelectionList[str](
                *[
                    (
                        escape(f"{library.topic_title(t)} ({len(library.by_topic(t))})"),
                        t,
                        t in self.preselected,
                    )
                    for t in library.topics
                ],
                id="cram-topics",
            )
        yield Footer()

    def action_toggle_all(self) -> None:
        topics = self.query_one("#cram-topics", SelectionList)
        if topics.selected:
            topics.deselect_all()
        else:
            topics.select_all()

    def action_start(self) -> None:
        app = self.app
        chosen = list(self.query_one("#cram-topics", SelectionList).selected)
        if not chosen:
            app.notify("Select at least one topic (space).", title="Cram")
            return
        ids = cram_order(app.library, app.store, app.planner, app.clock(), chosen)
        titles = ", ".join(app.library.topic_title(t) for t in chosen)
        session = app.new_session(question_ids=ids, mode=Mode.PRACTICE)
        self.dismiss()
        app.start_session(session, f"Cram · {titles}")
