"""The few errors a user may see. Each carries a short title and a message that says what to do.

The CLI prints them as one line, the TUI shows them in a notification; neither shows a
traceback.
"""


class QuizappError(Exception):
    title = "Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreError(QuizappError):
    title = "Progress database"


class SaveFailed(StoreError):
    """Progress could not be written: the file stayed locked by another program, the disk
    is full, the file is read-only. Nothing was written, so the student can try again."""

    title = "Not saved"


class FileRoleError(StoreError):
    """A problem with a file the student named — an export, an import, an Anki package, a
    backup copy — not with the progress database itself: the title names the file's role.

    It is a StoreError, so code that handles every failure of saving progress still does."""

    def __init__(self, role: str, message: str) -> None:
        super().__init__(message)
        self.title = role


EXPORT_FILE, IMPORT_FILE, ANKI_PACKAGE, BACKUP_FILE = (
    "Export file",
    "Import file",
    "Anki package",
    "Backup file",
)


class UsageError(QuizappError):
    title = "Usage"
