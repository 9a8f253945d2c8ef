"""Bundled decks. A package only so the YAML files install together with quizapp."""
