"""Home: topics with due counts, mastery and weakness, leeches, the exam outlook, and
every way to start studying."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizapp.progress.settings import EXAM_MINUTES
from quizapp.progress.store import Mode
from quizapp.study import exam_forecast, insights, weakness
from quizapp.study.local_days import local_day
from quizapp.study.stats import RECENT_ATTEMPTS, new_available, recent_answers, topic_summaries
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.save_guard import NOTHING_CHANGED, keeps_work_if_not_saved
from quizapp.tui.widgets import FittedTable

WEAK_MARK = "▼ weak"


def legend(target: float) -> str:
    """What the columns mean, in one line under the table; the help (?) says it in full.

    Mastery is the mean FSRS retrievability of the topic's seen cards; the weak rule is
    `weakness.weak_topics`."""
    return (
        f"[dim]Mastery: recall chance now · Accuracy: last {RECENT_ATTEMPTS} answers · "
        f"{WEAK_MARK}: either <{target:.0%}[/dim]"
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class HomeScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [
        Binding("r", "review", "Review", id="review"),
        Binding("p,enter", "study_topic", "Practise", id="study_topic"),
        Binding("w", "weak", "Weak", id="weak"),
        Binding("c", "cram", "Cram", id="cram"),
        Binding("e", "exam_prep", "Exam", id="exam_prep"),
        Binding("m", "mock", "Mock", id="mock"),
        Binding("d", "drill", "Drill", id="drill"),
        Binding("i", "misconceptions", "Slips", id="misconceptions"),
        Binding("plus,equals_sign", "exam_minutes(5)", "More exam time", show=False),
        Binding("minus", "exam_minutes(-5)", "Less exam time", show=False),
        Binding("b", "browse", "Browse", id="browse"),
        Binding("s", "stats", "Stats", id="stats"),
        Binding("o", "settings", "Settings", id="settings"),
        Binding("question_mark", "app.help", "Help", id="help_key"),
        Binding("q", "app.quit", "Quit", id="quit_key"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="summary")
            yield Static(id="exam-line")
            yield Static(id="mock-line")
            yield Static(id="misconceptions-line")
            yield FittedTable(
                id="topics",
                flex={"topic": 1},
                cursor_type="row",
                zebra_stripes=True,
                header_height=2,
            )
            yield Static(id="legend")
            yield Static(id="leeches")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#topics", DataTable)
        table.add_column("Topic", key="topic")
        table.add_column("Seen", key="seen")
        table.add_column("Due", key="due")
        table.add_column("Mastery", key="mastery")
        table.add_column("Accuracy", key="accuracy")
        table.add_column("Exam\nrecall", key="exam")
        table.add_column("", key="weak")
        table.focus()

    def on_screen_resume(self) -> None:
        """Fill in the figures: on first show (it follows the mount) and after every session."""
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        now = app.clock()
        planner = app.planner
        cards = app.store.cards()
        recent = recent_answers(app.store, list(app.library.questions))
        summaries = topic_summaries(
            app.library, app.store, planner, now, cards=cards, recent=recent
        )
        self.summaries = summaries
        target = planner.scheduler.desired_retention
        weakest = {t.topic for t in weakness.weak_topics(summaries, target)}
        exam_day = insights.get_exam_date(app.store)
        plan = (
            insights.exam_plan(app.library, app.store, planner, now, exam_day, cards=cards)
            if exam_day
            else None
        )
        self.plan = plan
        exam_recall = {t.topic: t.recall for t in plan.topics} if plan else {}

        self.query_one("#topics", FittedTable).set_rows(
            (
                s.topic,
                [
                    escape(s.title),
                    f"{s.seen}/{s.total}",
                    str(s.due),
                    _percent(s.mastery),
                    _percent(s.accuracy),
                    _percent(exam_recall.get(s.topic)),
                    f"[b $warning]{WEAK_MARK}[/]" if s.topic in weakest else "",
                ],
            )
            for s in summaries
        )

        due = sum(s.due for s in summaries)
        fresh = new_available(app.library, app.store, planner, now)
        total = len(app.library.questions)
        self.query_one("#summary", Static).update(
            f"[b]{due}[/b] due now · [b]{fresh}[/b] new today · {total} questions in "
            f"{len(summaries)} topics · target recall "
            f"{planner.scheduler.desired_retention:.0%}"
        )
        self.query_one("#legend", Static).update(legend(target))
        self._show_exam(plan)
        self._show_leeches(exam_ahead=plan is not None and not plan.passed)
        self._show_mock()
        self._show_misconceptions()

    def _show_misconceptions(self) -> None:
        from quizapp.misconceptions.tracking import tracked

        line = self.query_one("#misconceptions-line", Static)
        items = [t for t in tracked(self.app.library, self.app.store) if not t.fixed]
        line.display = bool(items)
        if items:
            now = self.app.clock()
            due = sum(t.due is not None and t.due <= now for t in items)
            names = escape(", ".join(f"{t.title} ×{t.times_seen}" for t in items[:2]))
            more = f" +{len(items) - 2}" if len(items) > 2 else ""
            line.update(
                Text.assemble(
                    (f"{len(items)} open misconception{'s' * (len(items) > 1)}", "bold"),
                    f" ({due} due)" if due else "",
                    f": {names}{more} (d drill · i list)",
                )
            )

    def _show_exam(self, plan: insights.ExamPlan | None) -> None:
        """The exam outlook: at once the date, then (from a worker) today's minutes and the
        forecast for the planned minutes and for more."""
        line = self.query_one("#exam-line", Static)
        line.remove_class("warning")
        if plan is None:
            line.update("[dim]No exam date set: press o to set one and plan towards it.[/dim]")
        elif plan.passed:
            line.update(f"[dim]The exam date {plan.exam_date:%d %b %Y} has passed (o to change).")
        else:
            app = self.app
            self._exam_head = f"Exam [b]{plan.exam_date:%a %d %b}[/b] in {plan.days_left} days"
            line.update(f"{self._exam_head} · planning… (e for the plan)")
            data = exam_forecast.inputs(
                app.library, app.store, app.planner, app.clock(), plan.exam_date
            )
            self._forecast(data)

    @work(thread=True, exclusive=True, exit_on_error=False, group="exam-forecast")
    def _forecast(self, data: exam_forecast.Inputs) -> None:
        plan = exam_forecast.forecast(data)
        other = exam_forecast.forecast(data, exam_forecast.alternative_minutes(plan.minutes))
        self.app.call_from_thread(self._show_forecast, plan, other)

    def _show_forecast(self, plan: exam_forecast.Forecast, other: exam_forecast.Forecast) -> None:
        today = plan.today
        left = plan.budget_left_today_s / 60
        done = plan.spent_today_s / 60
        today_text = (
            f"today [b]{today.reviews + today.new} cards, ~{today.minutes:.0f} min[/b]"
            + (f" ({done:.0f} min done)" if done >= 1 else "")
            if today
            else "today's minutes are done"
            if left < 1
            else "nothing to add today"
        )
        note = exam_forecast.adaptation_note(self.app.store, plan, local_day(self.app.clock()))
        text = (
            f"{self._exam_head} · {today_text} · expected on exam day: "
            f"[b]{plan.recall:.0%}[/b]; with {other.minutes} min a day: {other.recall:.0%} "
            "(e for the plan, +/- minutes)"
        )
        self.query_one("#exam-line", Static).update(text + (f"\n{note}" if note else ""))

    def _show_leeches(self, *, exam_ahead: bool = False) -> None:
        found = insights.leeches(self.app.library, self.app.store)
        box = self.query_one("#leeches", Static)
        first_start = not found and self.app.store.review_count() == 0
        box.display = bool(found) or first_start
        if first_start and exam_ahead:  # the exam plan is the way to study for it
            box.update(
                "[b]New here?[/b] Press [b]e[/b] then [b]r[/b]: today's cards of your exam "
                "plan, chosen for the most recall on exam day. [b]r[/b] alone reviews "
                "without a date in mind, [b]m[/b] sits a mock exam, [b]?[/b] explains every key."
            )
        elif first_start:  # nothing answered yet: say what to press
            box.update(
                "[b]New here?[/b] Press [b]r[/b] to start: each day brings new questions, "
                "and each comes back when you are about to forget it. [b]↑/↓[/b] and "
                "[b]p[/b] practise one topic, [b]m[/b] sits a mock exam, [b]?[/b] explains "
                "every key."
            )
        elif found:
            shown = "\n".join(
                f"  {escape(x.title)} [dim]({escape(self.app.library.topic_title(x.topic))} · "
                f"{x.lapses} lapses · {x.question_id})[/dim]"
                for x in found[:5]
            )
            more = (
                f"\n  [dim]and {len(found) - 5} more (b to browse)[/dim]" if len(found) > 5 else ""
            )
            box.update(
                f"[b]Leeches[/b] — forgotten again and again; rewrite or study them differently:\n"
                f"{shown}{more}"
            )

    # -- actions ---------------------------------------------------------------------------

    def run_home_action(self, name: str) -> None:
        """Run `action_<name>` now (the command palette and `quizapp mock` start them)."""
        getattr(self, f"action_{name}")()

    def _highlighted_topic(self) -> str | None:
        table = self.query_one("#topics", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_review(self) -> None:
        self.app.start_session(self.app.new_session(), "Review")

    def action_study_topic(self) -> None:
        topic = self._highlighted_topic()
        if topic is None:
            return
        ids = [q.id for q in self.app.library.by_topic(topic)]
        title = f"Practice · {self.app.library.topic_title(topic)}"
        self.app.start_session(self.app.new_session(question_ids=ids, mode=Mode.PRACTICE), title)

    def action_weak(self) -> None:
        app = self.app
        target = app.planner.scheduler.desired_retention
        ranked = weakness.weak_topics(self.summaries, target)
        if not ranked:
            app.notify(
                "No history yet: review a few cards first, then weak topics show up."
                if not any(s.seen or s.attempts for s in self.summaries)
                else f"No topic is weak: mastery and accuracy are at or above your target "
                f"{target:.0%} everywhere. c crams any topics you choose."
            )
            return
        ids = insights.weak_session_ids(
            app.library, app.store, app.planner, app.clock(), self.summaries, target=target
        )
        names = ", ".join(t.title for t in ranked)
        app.start_session(app.new_session(question_ids=ids, mode=Mode.PRACTICE), f"Weak · {names}")

    def action_cram(self) -> None:
        from quizapp.tui.screens.cram import CramPicker

        ranked = [t.topic for t in weakness.rank_weak_topics(self.summaries)]
        highlighted = self._highlighted_topic()
        preselect = ranked[: weakness.WEAK_TOPICS] or ([highlighted] if highlighted else [])
        self.app.push_screen(CramPicker(preselect))

    def action_exam_prep(self) -> None:
        """The plan screen; `r` there starts today's exam session."""
        if self.plan is None:
            self.app.notify("Set your exam date first (o for settings).", title="Exam")
            return
        from quizapp.tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen())

    @keeps_work_if_not_saved(what_now=NOTHING_CHANGED)
    def action_exam_minutes(self, step: int) -> None:
        """+ / -: five minutes more or less a day for the exam plan."""
        if self.plan is None or self.plan.passed:
            self.app.notify("Set your exam date first (o for settings).", title="Exam")
            return
        store = self.app.store
        minutes = exam_forecast.exam_minutes(store) + step
        exam_forecast.set_exam_minutes(
            store, int(min(EXAM_MINUTES.high, max(EXAM_MINUTES.low, minutes)))
        )
        self.refresh_data()

    def action_drill(self) -> None:
        start_drill(self.app)

    def action_misconceptions(self) -> None:
        from quizapp.tui.screens.misconceptions import MisconceptionsScreen

        self.app.push_screen(MisconceptionsScreen())

    def action_browse(self) -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(topic=None))

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def _show_mock(self) -> None:
        from quizapp.progress.mock_exams import resume_hint

        line = self.query_one("#mock-line", Static)
        hint = resume_hint(self.app.store)
        line.display = bool(hint)
        line.update(f"[b $warning]{hint}[/]")

    def action_mock(self) -> None:
        from quizapp.tui.screens.mock import MockStartScreen

        self.app.push_screen(MockStartScreen())

    def action_settings(self) -> None:
        from quizapp.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study_topic()


def start_drill(app: QuizApp) -> None:
    """ "Drill my misconceptions": the open ones (due first), in variants where they matter."""
    from quizapp.misconceptions.drill import DrillSession, plan

    items = plan(app.library, app.store, app.clock())
    if not items:
        app.notify(
            "No open misconceptions: when a wrong answer matches a known slip, it is "
            "recorded and can be drilled here.",
            title="Drill",
        )
        return
    session = DrillSession(
        app.library, app.store, app.planner, items, clock=app.clock, grader=app.grader
    )
    app.start_session(session, "Drill · misconceptions")
