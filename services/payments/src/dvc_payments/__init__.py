"""Payments: fees through the national payment platform (the real work arrives with its own issue)."""
