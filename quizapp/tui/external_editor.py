"""Editing a code answer in the student's own editor ($VISUAL, else $EDITOR).

The app is suspended (Textual's `App.suspend()`) so a terminal editor gets the screen, the
code goes through a temporary `.py` file, and the caller reloads its buffer from the
returned text. Every failure is a sentence for a notification, never an exception.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

NO_EDITOR = (
    "No editor is set: export VISUAL or EDITOR (for example EDITOR=nano or "
    "EDITOR='code --wait'), then press ctrl+e again."
)


@dataclass(frozen=True)
class EditResult:
    text: str | None  # the edited code, or None when nothing should change
    problem: str = ""


def editor_command() -> list[str]:
    """The editor to run, as argv (empty if none is configured)."""
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    try:
        return shlex.split(value)
    except ValueError:
        return []


def edit_externally(app: App[object], text: str, file_name: str) -> EditResult:
    """Suspend `app`, let the editor change `text` (kept in `file_name`), return the result."""
    command = editor_command()
    if not command:
        return EditResult(None, NO_EDITOR)
    from textual.app import SuspendNotSupported

    with tempfile.TemporaryDirectory(prefix="quizapp-edit-") as folder:
        path = Path(folder) / file_name
        path.write_text(text, encoding="utf-8")
        try:
            with app.suspend():
                code = subprocess.run([*command, str(path)]).returncode
        except SuspendNotSupported:
            return EditResult(None, "Your editor cannot be opened here (no terminal to lend it).")
        except OSError as err:
            return EditResult(None, f"Could not start {command[0]!r}: {err.strerror or err}")
        if code != 0:
            return EditResult(
                None, f"{command[0]} exited with status {code}; your code was left as it was."
            )
        try:
            return EditResult(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            return EditResult(None, f"Could not read the edited file back: {err}")
