"""The per-user grading service behind a Unix socket, and its client."""
