"""The class report: what a class gets right and wrong, from students' anonymised exports
(`quizapp export-progress --for-class`).

`load` reads and checks the export files, `aggregate` computes the figures (pure
functions over the loaded data), `html` draws a self-contained page with inline SVG.
"""
