"""Studying: the session, FSRS scheduling, what to study next, figures and FSRS fitting."""
