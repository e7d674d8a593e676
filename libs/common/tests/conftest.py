"""Shared fixtures for the messaging component tests: a real PostgreSQL database and RabbitMQ vhost per run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aio_pika
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dvc_devkit.testing.infra import PLATFORM_MIGRATIONS, postgres_database, rabbitmq_vhost


@pytest.fixture(scope="session")
def platform_db_url() -> Iterator[str]:
    """A fresh database with the platform tables (outbox, sequences, inbox), dropped after the run."""
    with postgres_database("dvc_messaging_test", PLATFORM_MIGRATIONS) as url:
        yield url


@pytest.fixture(scope="session")
def vhost_url() -> Iterator[str]:
    """A fresh RabbitMQ virtual host, deleted after the run."""
    with rabbitmq_vhost("dvc-messaging-test") as vhost:
        yield vhost.url


@pytest.fixture
async def platform_engine(platform_db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database whose platform tables start empty for every test."""
    engine = create_async_engine(platform_db_url)
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE outbox_message, event_sequence, inbox_message"))
    yield engine
    await engine.dispose()


@pytest.fixture
async def amqp_channel(vhost_url: str) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    """A plain aio-pika channel on the test vhost, to observe queues the way an integrator would."""
    connection = await aio_pika.connect(vhost_url)
    async with connection:
        yield await connection.channel()
