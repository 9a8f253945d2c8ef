"""Bundled decks, installed as `quizapp.bundled_decks`. A package only so the YAML files install
together with quizapp."""
