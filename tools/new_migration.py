"""Autogenerate a migration for one service against a throwaway database.

Usage: python tools/new_migration.py SERVICE "message"

Only that service's models may be loaded, or autogenerate would add other services' tables; so the
migrations folder is found from the package, not through the registry (which imports every service).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import uuid
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from dvc_common.db import create_database, drop_database
from dvc_common.migrations import alembic_config


def migrations_of(service: str) -> Path:
    spec = importlib.util.find_spec("dvc_" + service.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"unknown service {service!r}")
    return Path(next(iter(spec.submodule_search_locations))) / "migrations"


def main(service: str, message: str) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_autogen_{uuid.uuid4().hex[:8]}"
    asyncio.run(create_database(url))
    try:
        config = alembic_config(migrations_of(service), url)
        command.upgrade(config, "heads")
        script = ScriptDirectory.from_config(config)
        own = [head for head in script.get_heads() if not head.startswith("platform_")]
        # A service's first revision starts from the platform tables.
        base = own[0] if own else "platform@head"
        versions = migrations_of(service) / "versions"
        command.revision(config, message=message, autogenerate=True, head=base, version_path=str(versions))
    finally:
        asyncio.run(drop_database(url))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
