"""Check that one service's migrations produce exactly its models (no missing or foreign tables).

Usage: python tools/check_migrations.py SERVICE — exits 1 and prints the differences otherwise.
Runs alone in its process so that only this service's models are loaded.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from new_migration import migrations_of
from sqlalchemy.ext.asyncio import create_async_engine

from dvc_common.db import create_database, drop_database
from dvc_common.migrations import upgrade
from dvc_common.tables import metadata


async def differences(url: str) -> list[object]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
    finally:
        await engine.dispose()


def main(service: str) -> int:
    module = "dvc_" + service.replace("-", "_")
    if importlib.util.find_spec(f"{module}.models"):
        importlib.import_module(f"{module}.models")
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_check_{uuid.uuid4().hex[:8]}"
    asyncio.run(create_database(url))
    try:
        upgrade(migrations_of(service), url)
        diffs = asyncio.run(differences(url))
    finally:
        asyncio.run(drop_database(url))
    for diff in diffs:
        print(f"{service}: {diff}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
