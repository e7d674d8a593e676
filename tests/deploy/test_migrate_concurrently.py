"""`dvc migrate` is safe when several replicas start at once (the init container of each pod runs it).

Kubernetes starts every replica's init container together on a rollout, so three `dvc migrate`
processes race on an empty database: all must succeed, and the schema must be migrated once.
Real processes, the real CLI, the machine's PostgreSQL and RabbitMQ (a database and a vhost of
this run's own).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
from alembic.script import ScriptDirectory

from dvc_common.db import drop_database
from dvc_common.migrations import alembic_config
from dvc_common.registry import discover
from dvc_devkit.testing.infra import POSTGRES, rabbitmq_vhost, run_id

REPLICAS = 3
SERVICE = "qa"


def _dvc() -> str:
    return str(Path(sys.executable).parent / "dvc")


def test_replicas_migrating_together_all_succeed_and_migrate_once() -> None:
    database = f"dvc_migrate_race_{run_id()}"
    url = f"{POSTGRES}/{database}"
    with rabbitmq_vhost("dvc-migrate-race") as vhost:
        env = {
            **os.environ,
            "DVC_QA_DATABASE_URL": url,
            "DVC_QA_AMQP_URL": vhost.url,
            "DVC_QA_ENVIRONMENT": "development",
        }
        try:
            replicas = [
                subprocess.Popen(
                    [_dvc(), "migrate", SERVICE],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(REPLICAS)
            ]
            results = [(p.wait(timeout=300), p.communicate()) for p in replicas]
            failures = [err[-3000:] for code, (_, err) in results if code != 0]
            assert not failures, "a replica's migration failed:\n" + "\n---\n".join(failures)

            heads = asyncio.run(_alembic_versions(url))
            # Each head once: the service's chain and the platform's (rate limits, platform_0002).
            expected = ScriptDirectory.from_config(
                alembic_config(discover()[SERVICE].migrations, url)
            ).get_heads()
            assert sorted(heads) == sorted(expected) and "platform_0002" in heads, heads
        finally:
            asyncio.run(drop_database(url))


async def _alembic_versions(url: str) -> list[str]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return [row[0] for row in await conn.fetch("SELECT version_num FROM alembic_version")]
    finally:
        await conn.close()
