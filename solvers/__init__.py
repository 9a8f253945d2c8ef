"""Reference solutions in plain PyTorch. Nothing here imports quizapp."""
