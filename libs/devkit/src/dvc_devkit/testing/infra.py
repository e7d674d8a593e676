"""Per-run PostgreSQL databases and RabbitMQ virtual hosts, so leftovers never change a result.

The machine's servers outlive a test run; each run creates its own databases and vhost, named
after a random run id, and removes them at the end.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dvc_common.db import create_database, drop_database
from dvc_common.migrations import PLATFORM_MIGRATIONS as _PLATFORM_MIGRATIONS
from dvc_common.migrations import upgrade
from dvc_devkit.devstack import create_vhost, delete_vhost

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
AMQP = "amqp://guest:guest@127.0.0.1:5672"


def run_id() -> str:
    return uuid.uuid4().hex[:10]


@dataclass(frozen=True)
class TestVhost:
    name: str

    @property
    def url(self) -> str:
        return f"{AMQP}/{self.name}"


@contextmanager
def rabbitmq_vhost(prefix: str = "dvc-test") -> Iterator[TestVhost]:
    vhost = TestVhost(f"{prefix}-{run_id()}")
    create_vhost(vhost.name)
    try:
        yield vhost
    finally:
        delete_vhost(vhost.name)


@contextmanager
def postgres_database(name: str, migrations: Path | None = None) -> Iterator[str]:
    """A new database `name_<run id>`, migrated with `migrations` when given; dropped afterwards."""
    url = f"{POSTGRES}/{name}_{run_id()}"
    asyncio.run(create_database(url))
    try:
        if migrations is not None:
            upgrade(migrations, url)
        yield url
    finally:
        asyncio.run(drop_database(url))


# Migrations that create only the platform tables (outbox, sequences, inbox), for tests and benchmarks.
PLATFORM_MIGRATIONS = _PLATFORM_MIGRATIONS
