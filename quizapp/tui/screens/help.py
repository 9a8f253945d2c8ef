"""A help overlay: the keys, and how answers are judged and scheduled."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from quizapp.study import insights
from quizapp.study.insights import LEECH_LAPSES
from quizapp.tui.app import QuizApp

HELP = """\
# quizapp help

## Home
| key | does |
|---|---|
| `r` | review what is due (scheduled by FSRS): overdue first, then new cards |
| `w` | practise your weakest topics (from your own history, not due dates) |
| `e` | the exam plan: days, minutes, topics, mock exams, forecast; `r` there studies today's cards |
| `+` / `-` | five minutes more / less a day for the exam plan |
| `c` | cram: every card of the topics you pick, weakest first |
| `m` | mock exam: a timed sitting like the exercise sheet (or resume the open one) |
| `d` | drill your open misconceptions, in variants where the slip changes the answer |
| `i` | the misconceptions your answers showed: times seen, last seen, fixed or open |
| `p` / `enter` | practise every question of the highlighted topic |
| `b` | browse: type to search all questions; `enter` practises one, `ctrl+a` all listed |
| `s` | statistics: reviews per day, due forecast, retention per topic, streak |
| `o` | settings: exam date, minutes a day, exam weights, retention, new cards a day, fit FSRS |
| `ctrl+p` | command palette |
| `?` / `f1` | this help |
| `q` / `ctrl+q` | quit (every answer is already saved) |

Columns: **Mastery** is the chance, predicted by FSRS, that you recall a card of the topic
you have seen, right now (the mean over those cards). **Accuracy** is the share of the
topic's last 20 answers that were right (or rated Good or Easy). **▼ weak** marks up to
three topics, weakest first, whose mastery or accuracy is below your target recall
(Settings); `w` practises exactly those. Right after a session mastery is high even for
cards you got wrong, so a weak topic can show 100 % mastery: its accuracy is the reason.

## Studying
| question | keys |
|---|---|
| Flashcard | `space` reveal, then `1` Again · `2` Hard · `3` Good · `4` Easy (goes straight on) |
| Choice | `1`–`9` or `space` select, `enter` submit |
| Calculate | type a number, units allowed (`8.8 TB`, `8192 GiB`), also `3,001,000`, a decimal comma `0,134`, `41.2%` or `41.2 pp`, a factor `16x`; `enter` |
| Explain | write, `ctrl+s` compare with the model answer, tick the points you covered, `enter` |
| Code | edit, `ctrl+r` run the check (as often as you like), `ctrl+g` show the solution, `ctrl+e` open in your `$EDITOR`; `ctrl+c` or `esc` cancels a running check |

After an answer: the rating it gets is shown; `1`–`4` change it (Again · Hard · Good ·
Easy, each key showing when the card would come back), `enter`/`n` next question, `esc`
back Home.
On a code review the editor starts from the stub; `ctrl+l` brings back your last attempt
(then the rating is at most *Hard*). What you type is kept as you type: quit mid-question
and it is there when the question comes back.
`u` undoes the session's last answer (again and again), schedule included; answer it anew.
`ctrl+n` skips a question without answering (it stays due).
`ctrl+↑` / `ctrl+↓` scroll the question while you type in an editor.

## Mock exam
Twelve questions in the sheet's sections and kinds (calculations with fresh numbers, code,
choice, open), about an hour, a countdown at the top and no feedback until the end.
`ctrl+n` / `ctrl+o` next / back · `enter` saves a calculation or choice and goes on ·
`ctrl+t` twice hands in · `esc` pauses (the clock stops; `m` on Home resumes).
Everything you type is saved as you go. At the end you tick the rubric points of your
open answers, code is checked, and the report shows points per question and topic, time,
what went wrong with the worked solution in your numbers, and your trend. Answered
questions count as reviews (calculations, choices, code: right → *Good*, wrong →
*Again*; open answers as below), or as practice for a card reviewed that day already or
not due; unanswered ones are not recorded.

## Where your code runs
In a sandbox: its own read-only view of the machine (no home folder, no progress
database, no solutions, no network), Landlock and a system-call filter, 10 s and 2 GB.
`quizapp grade --sandbox-info` in a shell lists which layers hold on this machine; the
app tells you once if some are missing.

## How answers count
- Calculations and choices are graded automatically: wrong → *Again*, right → *Good*
  (press `4` for *Easy* if it was easy). An answer that cannot be read is not counted.
- Explanations: all key points → *Good*, at least half → *Hard*, fewer → *Again*.
- Code: passing on the first check → *Good*, after failed checks → *Hard*, showing the
  solution → *Again*. Your last attempt is kept.
- The first answer of a due or new card each day is its review, in the app and from the
  shell (`quizapp grade`) alike; later answers that day are practice.
- **Review** and **exam prep** move the schedule. **Practice** (a topic, weak topics,
  browse, cram) is logged for your statistics but never changes when a card is due.
- A card you fail {leech} times is a *leech* (Settings: leech threshold): Home lists it so
  you can rewrite it in your own words or ask about it.
"""


def help_text(leech_threshold: int = LEECH_LAPSES) -> str:
    """The help with the numbers the app really uses, so the two cannot drift apart."""
    return HELP.replace("{leech}", str(leech_threshold))


class HelpScreen(ModalScreen):
    app = getters.app(QuizApp)  # typed, so self.app.store, .library, .clock check

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_text(insights.leech_threshold(self.app.store)))
