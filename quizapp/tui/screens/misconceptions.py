"""Misconceptions: the wrong ideas your answers showed, how often, when last, and whether
later answers show them fixed; d drills the open ones."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer

TITLE_WIDTH = 38


def status_text(fixed: bool, due: bool) -> Text:
    if fixed:
        return Text("fixed", style="green")
    return Text("due", style="bold") if due else Text("open")


class MisconceptionsScreen(Screen):
    app = getters.app(QuizApp)

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Home", id="misconceptions_home"),
        Binding("d", "drill", "Drill open ones", id="misconceptions_drill"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="misconceptions-head")
        yield DataTable(id="misconceptions", cursor_type="row", zebra_stripes=True)
        yield Static(id="misconception-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Misconceptions"
        table = self.query_one("#misconceptions", DataTable)
        table.add_column("Misconception", key="title", width=TITLE_WIDTH)
        table.add_column("Seen", key="seen")
        table.add_column("Last seen", key="last")
        table.add_column("Status", key="status")
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        from quizapp.misconceptions.tracking import tracked

        app = self.app
        now = app.clock()
        self.items = tracked(app.library, app.store)
        table = self.query_one("#misconceptions", DataTable)
        table.clear()
        for item in self.items:
            due = item.due is not None and item.due <= now
            title = (
                item.title
                if len(item.title) <= TITLE_WIDTH
                else item.title[: TITLE_WIDTH - 1] + "…"
            )
            table.add_row(
                Text(title),
                Text(str(item.times_seen), justify="right"),
                Text(f"{item.last_seen.astimezone():%d %b %H:%M}"),
                status_text(item.fixed, due),
                key=item.id,
            )
        open_count = sum(not item.fixed for item in self.items)
        head = self.query_one("#misconceptions-head", Static)
        if not self.items:
            head.update(
                "No misconceptions recorded yet. When a wrong answer matches a known slip "
                "(a forgotten 1/√d_k, bits for bytes, …) it is listed here."
            )
        else:
            head.update(
                Text.assemble(
                    (f"{open_count} open", "bold"),
                    f" · {len(self.items) - open_count} fixed · fixed = every later answer "
                    "where the slip was possible was right · d drills the open ones",
                )
            )
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#misconception-detail", Static)
        table = self.query_one("#misconceptions", DataTable)
        if not self.items or table.row_count == 0:
            detail.update("")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        entry = self.app.library.misconceptions.get(key or "")
        if entry is None:
            detail.update(Text(f"{key} (no longer in the catalogue)"))
            return
        detail.update(
            Text.assemble(("Wrong: ", "bold"), entry.wrong, "\n", ("Right: ", "bold"), entry.right)
        )

    def action_drill(self) -> None:
        from quizapp.tui.screens.home import start_drill

        start_drill(self.app)
