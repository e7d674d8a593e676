"""Sync-national service: every dossier status mirrored to the national portal, in order."""
