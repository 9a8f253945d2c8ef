"""The default command: open the study app."""

from __future__ import annotations

from quizapp.commands import Context


def run_tui(context: Context) -> int:
    from quizapp.tui.app import make_app

    app = make_app(context.db_path, context.content_dirs)
    app.grader.start()  # warm torch in the background while the student reads Home
    try:
        app.run()
    finally:
        app.store.close()
    return 0
