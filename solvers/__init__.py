"""Reference solutions in plain PyTorch, imported as `quizapp.solvers` (the folder stays at
the top of the repository). They use nothing else from quizapp."""
