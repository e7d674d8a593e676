"""Autogenerate a migration for one service against a throwaway database.

Usage: python tools/new_migration.py SERVICE "message"
"""

from __future__ import annotations

import asyncio
import sys
import uuid

from alembic import command
from dvc_common.db import create_database, drop_database
from dvc_common.migrations import alembic_config
from dvc_common.registry import discover


def main(name: str, message: str) -> None:
    entry = discover()[name]
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_autogen_{uuid.uuid4().hex[:8]}"
    asyncio.run(create_database(url))
    try:
        config = alembic_config(entry.migrations, url)
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)
    finally:
        asyncio.run(drop_database(url))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
