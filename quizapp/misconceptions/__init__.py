"""Misconceptions: the catalogue of known wrong ideas, slips composed from the parameters
and formula of a numeric question, tracking what a student showed, and drilling it."""
