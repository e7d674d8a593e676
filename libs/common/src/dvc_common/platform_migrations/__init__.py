"""Alembic scripts of the platform tables alone, for component tests and benchmarks."""
