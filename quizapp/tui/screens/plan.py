"""The exam plan: the days to the exam with their minutes, topics and mock exams, the
recall forecast as a plot, and the key that starts today's exam session.

The forecast is computed in a worker thread from inputs read on the UI thread (see
`quizapp.study.exam_forecast`), so the screen never freezes on a long plan."""

from __future__ import annotations

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static
from textual_plotext import PlotextPlot

from quizapp.progress.settings import EXAM_MINUTES
from quizapp.study import exam_forecast, insights
from quizapp.study.exam_forecast import Forecast, Inputs
from quizapp.study.local_days import local_day
from quizapp.tui.app import QuizApp
from quizapp.tui.footer import Footer
from quizapp.tui.save_guard import NOTHING_CHANGED, keeps_work_if_not_saved
from quizapp.tui.widgets import FittedTable

MINUTES_STEP = 5


class PlanScreen(Screen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [
        Binding("r", "start", "Study today", id="plan_start"),
        Binding("plus,equals_sign", "more", "More time", id="plan_more"),
        Binding("minus", "less", "Less time", id="plan_less"),
        Binding("escape,q", "app.pop_screen", "Home", id="plan_home"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="plan-head")
        yield PlotextPlot(id="plan-plot")
        yield FittedTable(id="plan-days", flex={"topics": 1}, cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#plan-days", FittedTable)
        for label, key in (
            ("Day", "day"),
            ("Min", "minutes"),
            ("Rev", "reviews"),
            ("New", "new"),
            ("Recall", "recall"),
            ("Topics", "topics"),
            ("", "marks"),
        ):
            table.add_column(label, key=key)
        self.plan: Forecast | None = None

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        app = self.app
        exam_day = insights.get_exam_date(app.store)
        head = self.query_one("#plan-head", Static)
        now = app.clock()
        if exam_day is None or exam_day <= local_day(now):
            head.update("No exam ahead: set the exam date in Settings (o on Home).")
            return
        head.update(f"Exam [b]{exam_day:%a %d %b}[/b] · computing the plan…")
        self._forecast(exam_forecast.inputs(app.library, app.store, app.planner, now, exam_day))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _forecast(self, data: Inputs) -> None:
        plan = exam_forecast.forecast(data)
        alternative = exam_forecast.forecast(data, exam_forecast.alternative_minutes(plan.minutes))
        self.app.call_from_thread(self._show, plan, alternative)

    def _show(self, plan: Forecast, alternative: Forecast) -> None:
        self.plan = plan
        today = plan.today
        left = plan.budget_left_today_s / 60
        today_text = (
            f"today {today.reviews} reviews + {today.new} new, ~{today.minutes:.0f} min"
            if today
            else "today's minutes are done"
            if left < 1
            else "nothing worth adding today"
        )
        note = exam_forecast.adaptation_note(self.app.store, plan, local_day(self.app.clock()))
        self.query_one("#plan-head", Static).update(
            (f"[b $warning]{note}[/]\n" if note else "")
            + f"Exam [b]{plan.exam_day:%a %d %b}[/b] · {plan.days_left} study days · "
            f"[b]{plan.minutes} min[/b] a day (+/- 5 min) · {today_text}\n"
            f"Expected on exam day: [b]{plan.recall:.0%}[/b]; with {alternative.minutes} min "
            f"a day: {alternative.recall:.0%}. Mock exams (m on Home) are extra sittings."
        )
        self._plot(plan, alternative)
        table = self.query_one("#plan-days", FittedTable)
        table.set_rows(
            (
                d.day.isoformat(),
                [
                    f"{d.day:%a %d %b}",
                    f"{d.minutes:.0f}",
                    str(d.reviews),
                    str(d.new),
                    f"{d.recall:.0%}",
                    list(d.topics),  # each topic cut to its share, not the list
                    " ".join(
                        [*(["mock"] if d.mock else []), *(["final pass"] if d.final_pass else [])]
                    ),
                ],
            )
            for d in plan.days
        )

    def _plot(self, plan: Forecast, alternative: Forecast) -> None:
        plot = self.query_one("#plan-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs = list(range(1, len(plan.days) + 1))
        plt.title(
            f"expected recall on exam day, % (green: {plan.minutes} min/day, "
            f"blue: {alternative.minutes} min/day)"
        )
        plt.plot(xs, [100 * d.recall for d in plan.days], color="green", marker="braille")
        plt.plot(xs, [100 * d.recall for d in alternative.days], color="blue", marker="braille")
        plt.ylim(0, 100)
        plt.yticks([0.0, 50.0, 100.0], ["0", "50", "100"])
        step = 7 if len(xs) > 14 else 2 if len(xs) > 7 else 1
        ticks = [x for x in xs if (x - 1) % step == 0]
        plt.xticks([float(x) for x in ticks], [f"{plan.days[x - 1].day:%d %b}" for x in ticks])
        plot.refresh()

    def action_start(self) -> None:
        app = self.app
        exam_day = insights.get_exam_date(app.store)
        if exam_day is None or exam_day <= local_day(app.clock()):
            app.notify("Set an exam date ahead first (o on Home).", title="Exam")
            return
        session = exam_forecast.exam_session(
            app.library, app.store, app.planner, exam_day, clock=app.clock, grader=app.grader
        )
        if not session.queue:
            app.notify("Today's exam minutes are done, or nothing is worth adding today.")
            return
        app.start_session(session, "Exam")

    @keeps_work_if_not_saved(what_now=NOTHING_CHANGED)
    def _change_minutes(self, step: int) -> None:
        store = self.app.store
        minutes = exam_forecast.exam_minutes(store) + step
        minutes = int(min(EXAM_MINUTES.high, max(EXAM_MINUTES.low, minutes)))
        exam_forecast.set_exam_minutes(store, minutes)
        self.reload()

    def action_more(self) -> None:
        self._change_minutes(MINUTES_STEP)

    def action_less(self) -> None:
        self._change_minutes(-MINUTES_STEP)
