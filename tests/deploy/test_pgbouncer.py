"""The services' database access through a real PgBouncer in transaction mode, with our config.

deploy/compose/pgbouncer/pgbouncer.ini (the compose pooler; k8s ships the same settings) is started
with the machine's `pgbouncer` in front of the machine's PostgreSQL, with two server connections
per database so that every client transaction lands on whichever server connection is free. Debian
12 ships PgBouncer 1.18, which cannot track prepared statements (`max_prepared_statements` needs
1.21), so this runs the documented switch for such poolers: `prepared_statement_cache_size=0` in the
database URL. The images' PgBouncer 1.25 path (max_prepared_statements) cannot run here.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from dvc_common.db import create_database, drop_database, make_engine, unit_of_work
from dvc_common.migrations import upgrade
from dvc_common.registry import discover
from dvc_devkit.testing.infra import POSTGRES, run_id
from dvc_devkit.testing.s3server import free_port

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "compose" / "pgbouncer" / "pgbouncer.ini"
SERVER_CONNECTIONS = 2
CLIENTS = 12

pytestmark = pytest.mark.skipif(shutil.which("pgbouncer") is None, reason="pgbouncer is not installed")


def pgbouncer_version() -> tuple[int, int]:
    out = subprocess.run(["pgbouncer", "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"PgBouncer (\d+)\.(\d+)", out)
    assert found, out
    return int(found.group(1)), int(found.group(2))


def local_config(tmp: Path, port: int) -> Path:
    """Our pgbouncer.ini pointed at this machine: only addresses, files and the pool size change."""
    text_ = CONFIG.read_text(encoding="utf-8")
    replacements = {
        r"^\* = host=postgres port=5432$": "* = host=127.0.0.1 port=5432",
        r"^listen_addr = .*$": "listen_addr = 127.0.0.1",
        r"^listen_port = .*$": f"listen_port = {port}",
        r"^auth_file = .*$": f"auth_file = {tmp / 'userlist.txt'}",
        r"^admin_users = .*$": "admin_users = postgres",
        r"^stats_users = .*$": "stats_users = postgres",
        r"^default_pool_size = .*$": f"default_pool_size = {SERVER_CONNECTIONS}",
        r"^reserve_pool_size = .*$": "reserve_pool_size = 0",
    }
    for pattern, value in replacements.items():
        text_, count = re.subn(pattern, value, text_, flags=re.M)
        assert count == 1, f"pgbouncer.ini no longer has {pattern}"
    if pgbouncer_version() < (1, 21):
        text_ = re.sub(r"^max_prepared_statements = .*$", "", text_, flags=re.M)
    text_ += f"\nunix_socket_dir = {tmp}\npidfile = {tmp / 'pgbouncer.pid'}\n"
    # The machine's PostgreSQL trusts local connections; PgBouncer still checks this password.
    (tmp / "userlist.txt").write_text('"postgres" "pooled"\n', encoding="utf-8")
    path = tmp / "pgbouncer.ini"
    path.write_text(text_, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pooler() -> Iterator[int]:
    # PgBouncer refuses to run as root: as root (CI), it drops to `nobody`, which must read the
    # config and write its socket and pid file here.
    tmp = Path(tempfile.mkdtemp(prefix="dvc-pgbouncer-"))
    tmp.chmod(0o777)
    port = free_port()
    config = local_config(tmp, port)
    for path in tmp.iterdir():
        path.chmod(0o644)
    as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        ["pgbouncer", *as_user, str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "pgbouncer did not listen"
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = f"dvc_pgbouncer_{run_id()}"
    asyncio.run(create_database(f"{POSTGRES}/{name}"))
    try:
        yield name
    finally:
        asyncio.run(drop_database(f"{POSTGRES}/{name}"))


def pooled_url(port: int, database: str) -> str:
    return f"postgresql+asyncpg://postgres:pooled@127.0.0.1:{port}/{database}?prepared_statement_cache_size=0"


def test_migrations_run_through_the_pooler(pooler: int, database: str) -> None:
    upgrade(discover()["qa"].migrations, pooled_url(pooler, database))
    upgrade(discover()["qa"].migrations, pooled_url(pooler, database))  # idempotent, as in every pod start


async def test_concurrent_transactions_share_two_server_connections(pooler: int, database: str) -> None:
    engine = make_engine(pooled_url(pooler, database), pool_size=CLIENTS)
    transaction = unit_of_work(engine)
    try:
        async with transaction() as session:
            await session.execute(text("CREATE TABLE IF NOT EXISTS pooled (client int, n int)"))

        async def client(number: int) -> None:
            for n in range(5):
                async with transaction() as session:
                    await session.execute(text("INSERT INTO pooled VALUES (:c, :n)"), {"c": number, "n": n})
                    total = await session.execute(
                        text("SELECT count(*) FROM pooled WHERE client = :c"), {"c": number}
                    )
                    assert total.scalar_one() == n + 1

        await asyncio.gather(*(client(i) for i in range(CLIENTS)))
        async with transaction() as session:
            rows = (await session.execute(text("SELECT count(*) FROM pooled"))).scalar_one()
        assert rows == CLIENTS * 5
    finally:
        await engine.dispose()

    direct = await asyncpg.connect(POSTGRES.replace("+asyncpg", "") + "/postgres")
    try:
        servers = await direct.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
            database,
        )
    finally:
        await direct.close()
    assert servers <= SERVER_CONNECTIONS, f"{CLIENTS} clients used {servers} server connections"
