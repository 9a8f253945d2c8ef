"""Stats: reviews per day, the due forecast, accuracy and retention per topic, the streak."""

from __future__ import annotations

from rich.markup import escape
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Static
from textual_plotext import PlotextPlot

from quizapp.study.stats import StatsReport, build_stats_report
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.widgets import FittedTable


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _count(n: int, noun: str) -> str:
    """`1 day`, `3 days`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _short(title: str, width: int = 14) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


class StatsScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Home", id="stats_home"),
        Binding("r", "reload", "Refresh", id="stats_reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="stats-head")
        with Horizontal(classes="stats-row"):
            yield PlotextPlot(id="plot-reviews")
            yield PlotextPlot(id="plot-forecast")
        with Horizontal(classes="stats-row"):
            yield PlotextPlot(id="plot-topics")
            yield FittedTable(
                id="stats-topics", flex={"topic": 1}, cursor_type="row", zebra_stripes=True
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#stats-topics", FittedTable)
        for label, key in (
            ("Topic", "topic"),
            ("Seen", "seen"),
            ("Mastery", "mastery"),
            ("Accuracy", "accuracy"),
            ("Retention", "retention"),
            ("Rev. 30d", "reviews"),
        ):
            table.add_column(label, key=key)
        self.action_reload()

    def action_reload(self) -> None:
        app = self.app
        self.report = build_stats_report(app.library, app.store, app.planner, app.clock())
        self._show(self.report)

    def _show(self, report: StatsReport) -> None:
        days = report.per_day
        last30 = sum(d.reviews for d in days)
        studied = sum(1 for d in days if d.reviews)
        answered = sum(d.answered for d in days)
        accuracy = sum(d.succeeded for d in days) / answered if answered else None
        self.query_one("#stats-head", Static).update(
            f"🔥 streak [b]{_count(report.streak, 'day')}[/b] · today "
            f"[b]{days[-1].reviews}[/b]{_practice(days[-1].practice)} · last 30 days [b]{_count(last30, 'answer')}[/b] "
            f"on {_count(studied, 'day')} ({_pct(accuracy)} right) · "
            f"{_count(report.total_reviews, 'answer')} in all"
        )

        self._bar_plot(
            "#plot-reviews",
            "Answers per day, last 30 days",
            list(range(-len(days) + 1, 1)),
            [d.reviews for d in days],
            "days ago",
        )
        self._bar_plot(
            "#plot-forecast",
            "Due per day (today: with overdue)",
            list(range(len(report.forecast))),
            [n for _, n in report.forecast],
            "days from today",
        )

        plot = self.query_one("#plot-topics", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        # One bar per topic, each with its label: two series per topic (accuracy and
        # retention) left every other bar unlabelled and a long title was dropped.
        # Retention and mastery are in the table beside it.
        plt.title("Accuracy %, last answers")  # wider than the bars, plotext drops it
        topics = [t for t in report.topics if t.seen] or report.topics
        plt.bar(
            [_short(self.app.library.topic_short_title(t.topic)) for t in topics],
            [round(100 * (t.accuracy or 0)) for t in topics],
            color="green",
            orientation="horizontal",
            width=0.6,
        )
        plt.xlim(0, 100)
        plot.refresh()

        self.query_one("#stats-topics", FittedTable).set_rows(
            (
                t.topic,
                [
                    escape(t.title),
                    f"{t.seen}/{t.total}",
                    _pct(t.mastery),
                    _pct(t.accuracy),
                    _pct(t.retention),
                    str(t.scheduled_reviews),
                ],
            )
            for t in report.topics
        )

    def _bar_plot(
        self, selector: str, title: str, xs: list[int], ys: list[int], xlabel: str
    ) -> None:
        """Redraw one bar chart; counts never go below zero, even with no data yet."""
        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        plt.bar(xs, ys, marker="hd")
        top = max(1, *ys)
        plt.ylim(0, top)
        ticks = [0, round(top / 2), top] if top >= 4 else [0, top]  # whole counts, not 35.8
        plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
        weeks = [x for x in xs if x % 7 == 0]  # plotext's own choice varies from run to run
        plt.xticks([float(x) for x in weeks], [str(x) for x in weeks])
        plt.xlabel(xlabel)
        plot.refresh()


def _practice(count: int) -> str:
    """ " (2 practice)": today's answers that did not move the schedule, when there are any."""
    return f" ({count} practice)" if count else ""
