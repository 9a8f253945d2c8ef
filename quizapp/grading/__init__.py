"""Grading: numeric answers, choices and sandboxed code."""
