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


class ContentError(QuizappError):
    title = "Decks"


class UsageError(QuizappError):
    title = "Usage"
