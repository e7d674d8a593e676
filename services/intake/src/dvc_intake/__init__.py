"""Intake service: receives dossiers from every channel, stores documents, assigns codes."""
