"""The default command: open the study app."""

from __future__ import annotations

from quizapp.commands import Context


def run_tui(context: Context, *, start_action: str | None = None) -> int:
    """`start_action` names a Home action to open at once (`quizapp mock` passes "mock")."""
    from quizapp.tui.app import make_app

    app = make_app(context.db_path, context.content_dirs)
    app.start_action = start_action
    if app.grader is not None:  # None where code cannot be checked (no fork: Windows)
        from quizapp.grading.code import CodeGrader

        if isinstance(app.grader, CodeGrader):  # make_app's own grader (not a stand-in)
            app.grader.start()  # warm torch in the background while the student reads Home
    try:
        app.run()
    finally:
        app.store.close()
    return 0
