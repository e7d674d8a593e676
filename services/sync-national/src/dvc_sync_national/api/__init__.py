"""Sync-national's HTTP routes."""
