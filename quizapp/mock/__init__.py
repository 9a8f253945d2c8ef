"""Mock exams: assemble, sit, store and report, like the course's exercise sheet."""
