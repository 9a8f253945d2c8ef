"""quizapp: spaced-repetition exam prep for a deep-learning course."""

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)


def load_ipython_extension(ipython) -> None:
    """`%load_ext quizapp`: the `%%quizapp` magic (IPython is only imported here)."""
    from quizapp.jupyter.magics import load

    load(ipython)


def check(question_id: str, fn_or_source, **options):
    """Check a function or its source against a code question (`quizapp.jupyter.check`)."""
    from quizapp.jupyter.checking import check as check_code

    return check_code(question_id, fn_or_source, **options)
