"""Notify service: tells applicants about every result-relevant change of their dossier."""
