"""Notify's use-cases, one module per group. They never commit: the message or request boundary does."""
