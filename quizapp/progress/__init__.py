"""The student's progress: the SQLite store, backups, export/import and settings."""
