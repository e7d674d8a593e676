"""Async PostgreSQL engine, sessions and the unit of work that commits once at the boundary."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from uuid import uuid4

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

# Repositories run plain SQL (upserts, RETURNING, locks) through `AsyncSession.execute`, which is the
# right call for `text()` statements; SQLModel's nudge towards `exec()` only concerns ORM selects.
warnings.filterwarnings(
    "ignore", message=r"(?s).*You probably want to use `session\.exec\(\)`", category=DeprecationWarning
)

UnitOfWork = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def behind_statement_blind_pooler(url: str) -> bool:
    """The database URL says a transaction-mode pooler that cannot track prepared statements is
    in between (PgBouncer < 1.21, or >= 1.21 without max_prepared_statements): it carries
    `prepared_statement_cache_size=0`. See deploy/README.md, "Database connections"."""
    return make_url(url).query.get("prepared_statement_cache_size") == "0"


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid4().hex}__"


def pooler_options(url: str) -> dict[str, Any]:
    """create_async_engine options for `url`: behind a statement-blind pooler, asyncpg keeps no
    statement cache and names every prepared statement uniquely, so a statement prepared on one
    server connection is never looked up on another."""
    if not behind_statement_blind_pooler(url):
        return {}
    return {
        "connect_args": {"statement_cache_size": 0, "prepared_statement_name_func": _unique_statement_name}
    }


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # No pre-ping (a round trip per transaction): when the database restarts, the first statement
    # on a dead connection fails, SQLAlchemy sees the disconnect and invalidates the whole pool, and
    # the caller's boundary retries (consumers) or answers 5xx once (HTTP).
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800, **pooler_options(url)
    )


def unit_of_work(engine: AsyncEngine) -> UnitOfWork:
    """Return a factory of transactions: use-cases write, the boundary commits once or rolls back."""
    factory = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @asynccontextmanager
    async def begin() -> AsyncIterator[AsyncSession]:
        async with factory() as session, session.begin():
            yield session

    return begin


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def _admin_dsn(url: str) -> tuple[str, str]:
    parsed = make_url(url)
    name = parsed.database or ""
    # The query holds driver options (e.g. prepared_statement_cache_size), not server settings.
    admin = parsed.set(drivername="postgresql", database="postgres", query={})
    return admin.render_as_string(hide_password=False), name


async def _admin_connect(url: str) -> asyncpg.Connection:
    admin, _ = _admin_dsn(url)
    # No named prepared statements: the admin session may go through a transaction-mode pooler.
    return await asyncpg.connect(admin, statement_cache_size=0)


async def create_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when it was created."""
    _, name = _admin_dsn(url)
    conn = await _admin_connect(url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            return False  # another replica's `dvc migrate` created it a moment ago
        return True
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    _, name = _admin_dsn(url)
    conn = await _admin_connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
