"""The default command: open the study app."""

from __future__ import annotations

from quizapp.commands import Context


def run_tui(context: Context) -> int:
    from quizapp.grading.code import CodeGrader
    from quizapp.tui.app import QuizApp

    grader = CodeGrader()
    app = QuizApp(context.library, context.store, grader=grader)
    grader.start()  # warm torch in the background while the student reads Home
    app.run()
    return 0
