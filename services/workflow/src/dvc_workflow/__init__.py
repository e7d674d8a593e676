"""Workflow service: the procedure catalog and every dossier's lifecycle."""
