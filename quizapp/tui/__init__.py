"""The terminal UI: Textual screens that call the domain and show what it returns.

Textual paints at most TEXTUAL_FPS frames a second (60 by default), so a change waits up
to a frame for its paint, and a verdict takes two or three (the verdict, the keys and the
scroll). At 120 that wait halves; the default is set here, before Textual is imported
(it reads the variable once, then), and a student's own TEXTUAL_FPS is kept.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
