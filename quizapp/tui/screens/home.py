"""Home: topics with due counts and mastery, and the ways to start studying."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.stats import new_available, topic_summaries


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class HomeScreen(Screen):
    BINDINGS = [
        Binding("r", "review", "Review due", id="review"),
        Binding("enter", "study_topic", "Practise topic", id="study_topic"),
        Binding("question_mark", "app.help", "Help", id="help_key"),
        Binding("q", "app.quit", "Quit", id="quit_key"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="summary")
            yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
            yield Static(
                "[b]r[/b] review what is due · [b]enter[/b] practise the highlighted topic · "
                "[b]?[/b] help",
                id="hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#topics", DataTable)
        table.add_columns("Topic", "Questions", "Seen", "Due", "Mastery", "Accuracy")
        self.refresh_data()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        now = app.clock()
        planner = app.planner
        summaries = topic_summaries(app.library, app.store, planner, now)
        table = self.query_one("#topics", DataTable)
        cursor = table.cursor_row
        table.clear()
        for s in summaries:
            table.add_row(
                s.title,
                str(s.total),
                f"{s.seen}/{s.total}",
                str(s.due),
                _percent(s.mastery),
                _percent(s.accuracy),
                key=s.topic,
            )
        if summaries:
            table.move_cursor(row=min(cursor, len(summaries) - 1))
        due = sum(s.due for s in summaries)
        fresh = new_available(app.library, app.store, planner, now)
        total = len(app.library.questions)
        self.query_one("#summary", Static).update(
            f"[b]{due}[/b] due now · [b]{fresh}[/b] new today · {total} questions in "
            f"{len(summaries)} topics"
        )

    def run_action(self, name: str) -> None:
        getattr(self, f"action_{name}")()

    def action_review(self) -> None:
        self.app.start_session(self.app.new_session(), "Review")

    def action_study_topic(self) -> None:
        table = self.query_one("#topics", DataTable)
        if table.row_count == 0:
            return
        topic = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        ids = [q.id for q in self.app.library.by_topic(topic)]
        title = f"Practice · {self.app.library.topic_title(topic)}"
        self.app.start_session(self.app.new_session(question_ids=ids, mode="practice"), title)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study_topic()
