"""Decks: YAML files to validated questions, their variants, text checks and exports."""
