"""Browse & search: every question with its due date and history; practise any of them.

Practising from here records answers as practice (mode "practice"): they count for
accuracy and weak topics but never move a card's due date.
"""

from __future__ import annotations

from datetime import datetime

from rich.markup import escape
from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from quizapp.decks.content import KINDS, Question
from quizapp.progress import queries
from quizapp.progress.store import CardRow, Mode, parse_iso
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.widgets import FittedTable

HISTORY_ROWS = 8


def matches(question: Question, text: str, topic: str | None, kind: str | None) -> bool:
    """The browse filter: topic and kind exactly, text anywhere in id, title or prompt."""
    if topic and question.topic != topic:
        return False
    if kind and question.kind != kind:
        return False
    needle = text.strip().lower()
    return not needle or any(
        needle in field.lower() for field in (question.id, question.title, question.prompt)
    )


def _when(moment: datetime | None, now: datetime) -> str:
    """A due date as a student reads it: now, today, in 3 d, overdue 2 d."""
    if moment is None:
        return "–"
    days = (moment - now).total_seconds() / 86400
    if days <= 0:
        return "now" if days > -1 else f"overdue {-days:.0f} d"
    return "today" if days < 1 else f"in {days:.0f} d"


class BrowseScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    # No letter keys: a letter typed anywhere goes to the search ("a" of "attention" once
    # started practising every question). Enter on a row practises it.
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Home", id="browse_home"),
        Binding("slash", "focus_search", "Search", id="browse_search"),
        Binding("enter", "practise_one", "Practise question", id="practise_one"),
        Binding("ctrl+a", "practise_all", "Practise all listed", id="practise_all", priority=True),
    ]

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        self.initial_topic = topic
        self.cards: dict[str, CardRow] = {}

    def compose(self) -> ComposeResult:
        library = self.app.library
        yield Header()
        with Vertical(id="browse"):
            with Horizontal(id="browse-filters"):
                yield Input(
                    placeholder="type to search id, title or prompt",
                    id="search",
                    select_on_focus=False,  # a letter typed from the list is kept
                )
                yield Select(
                    [(escape(library.topic_title(t)), t) for t in library.topics],
                    prompt="all topics",
                    value=self.initial_topic or Select.NULL,
                    id="topic-filter",
                )
                yield Select([(k, k) for k in KINDS], prompt="all kinds", id="kind-filter")
            yield FittedTable(
                id="questions",
                flex={"title": 2, "topic": 1},
                cursor_type="row",
                zebra_stripes=True,
            )
            yield Static(id="question-history")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#questions", DataTable)
        table.add_column("Question", key="title")
        table.add_column("Topic", key="topic")
        table.add_column("Kind", key="kind")
        table.add_column("Due", key="due")
        table.add_column("Reviews", key="reps")
        table.add_column("Lapses", key="lapses")
        table.focus()

    def on_screen_resume(self) -> None:
        """List the questions: on first show (it follows the mount) and after practice."""
        self.cards = self.app.store.cards()
        self.apply_filter()

    @property
    def search(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def listed(self) -> list[str]:
        table = self.query_one("#questions", DataTable)
        return [row.value for row in table.rows if row.value is not None]

    def _filters(self) -> tuple[str, str | None, str | None]:
        topic = self.query_one("#topic-filter", Select).value
        kind = self.query_one("#kind-filter", Select).value
        return (
            self.query_one("#search", Input).value,
            topic if isinstance(topic, str) else None,  # Select.NULL: no filter
            kind if isinstance(kind, str) else None,
        )

    def apply_filter(self) -> None:
        text, topic, kind = self._filters()
        library = self.app.library
        now = self.app.clock()
        rows = []
        for q in library.questions.values():
            if not matches(q, text, topic, kind):
                continue
            card = self.cards.get(q.id)
            due = _when(card.due, now) if card else "new"
            reps, lapses = (str(card.reps), str(card.lapses)) if card else ("0", "0")
            shown = [escape(q.title), escape(library.topic_short_title(q.topic))]
            rows.append((q.id, [*shown, q.kind, due, reps, lapses]))
        self.query_one("#questions", FittedTable).set_rows(rows)  # keeps the cursor's row
        self._show_history()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#questions", DataTable).focus()

    @on(DataTable.RowHighlighted, "#questions")
    def _highlighted(self) -> None:
        self._show_history()

    @on(DataTable.RowSelected, "#questions")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_practise_one()

    def highlighted_id(self) -> str | None:
        table = self.query_one("#questions", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_history(self) -> None:
        box = self.query_one("#question-history", Static)
        qid = self.highlighted_id()
        if qid is None:
            box.update("[dim]No question matches; change the search or the filters.[/dim]")
            return
        store, now = self.app.store, self.app.clock()
        card = self.cards.get(qid)
        history = queries.question_history(store, qid, HISTORY_ROWS)
        schedule = (
            f"due {card.due.astimezone():%d %b %H:%M} ({_when(card.due, now)}) · "
            f"{card.reps} reviews · {card.lapses} lapses"
            if card
            else "not started"
        )
        marks = "  ".join(
            f"{parse_iso(row.reviewed_at).astimezone():%d %b}"
            f" {'✓' if row.succeeded else '✗'}"
            f"{'' if row.mode == 'review' else ' (practice)'}"
            for row in history.latest
        )
        total, right = history.answers, history.succeeded
        box.update(
            f"[b]{qid}[/b] · {schedule} · answered {total}× ({right} right)\n"
            f"{marks or '[dim]no answers yet[/dim]'}"
        )

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A letter typed while the table (or nothing) has the keys goes to the search;
        down from the search goes to the list, as enter does."""
        if event.key == "down" and self.focused is self.search:
            event.stop()
            self.query_one("#questions", DataTable).focus()
            return
        if not (event.is_printable and event.character) or event.character == "/":
            return
        if not (self.focused is None or isinstance(self.focused, DataTable)):
            return
        event.stop()
        event.prevent_default()
        search = self.query_one("#search", Input)
        search.focus()
        search.insert_text_at_cursor(event.character)

    def action_practise_one(self) -> None:
        qid = self.highlighted_id()
        if qid is not None:
            title = f"Practice · {self.app.library.questions[qid].title}"
            session = self.app.new_session(question_ids=[qid], mode=Mode.PRACTICE)
            self.app.start_session(session, title)

    def action_practise_all(self) -> None:
        ids = self.listed
        if ids:
            session = self.app.new_session(question_ids=ids, mode=Mode.PRACTICE)
            self.app.start_session(session, f"Practice · {len(ids)} listed questions")
