"""Alembic per service: each service's `migrations/env.py` calls `run_env(metadata)`.

The platform tables (outbox, sequences, inbox) are migrated once, in `platform_migrations/versions`,
which every service's Alembic sees as a second version location; a service's first revision has
`down_revision = "platform_0001"`.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from dvc_common.db import pooler_options

PLATFORM_MIGRATIONS = Path(__file__).parent / "platform_migrations"
# Advisory lock key (per database) held by whoever migrates: the init containers of several
# replicas start together, and the second one must wait, then find nothing left to do.
MIGRATION_LOCK = 0x64766300_6D696772  # "dvc\0migr"


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    # A service without tables of its own may ship no versions folder at all.
    locations = {p for p in (script_location / "versions", PLATFORM_MIGRATIONS / "versions") if p.is_dir()}
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in sorted(locations)))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(script_location: Path, url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(script_location, url), revision)


def _run(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        # Transaction-scoped, so it also holds through PgBouncer in transaction mode; Alembic reads
        # the current revision after it, i.e. after the previous migrator committed.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


async def _online(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool, **pooler_options(url))
    async with engine.connect() as connection:
        await connection.run_sync(_run, metadata)
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_online(url, metadata))
