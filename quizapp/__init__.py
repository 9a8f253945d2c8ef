"""quizapp: spaced-repetition exam prep for a deep-learning course."""

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)
