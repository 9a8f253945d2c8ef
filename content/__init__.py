"""Bundled decks, installed as `quizapp.decks`. A package only so the YAML files install
together with quizapp."""
