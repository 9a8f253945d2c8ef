"""`python -m quizapp`: the same entry point as the `quizapp` command (browser mode uses it)."""

import sys

from quizapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
