"""Fixtures of the portal's own tests: a migrated database of its own per run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dvc_devkit.testing.infra import postgres_database

MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "dvc_portal" / "migrations"


@pytest.fixture(scope="session")
def portal_db_url() -> Iterator[str]:
    with postgres_database("dvc_portal_test", MIGRATIONS) as url:
        yield url
