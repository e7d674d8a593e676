"""Helpers for test suites: real servers started on free local ports (no mocks)."""
