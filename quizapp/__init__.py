"""quizapp: spaced-repetition exam prep for a deep-learning course."""
