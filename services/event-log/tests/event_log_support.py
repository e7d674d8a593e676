"""Test support for the event log: its app on a migrated database, and real producers.

Producers are the platform's own `Outbox` (the code every service emits events with) on a database
of platform tables, one `Outbox` per source, so the events the event log records carry exactly the
envelope and per-source sequence the services give them. `deliver` runs an event through the event
log the way the platform's subscriber does (one transaction: inbox claim, then the handler).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import dvc_event_log
from dvc_common import inbox
from dvc_common.consumers import EventMeta
from dvc_common.db import unit_of_work
from dvc_common.events import BY_TYPE, CloudEvent, EventType, Payload
from dvc_common.outbox import Outbox
from dvc_devkit.testing.infra import PLATFORM_MIGRATIONS, postgres_database, rabbitmq_vhost
from dvc_event_log.app import build
from dvc_event_log.domain.credentials import DEV_KEY
from dvc_event_log.handlers import EVENTS_QUEUE, consumers
from dvc_event_log.settings import EventLogSettings

MIGRATIONS = Path(dvc_event_log.__file__).parent / "migrations"
KEY = {"X-API-Key": DEV_KEY}
TABLES = (
    "event_log_history, event_log_stream, event_log_source, event_log_retention, event_log_lease,"
    " outbox_message, event_sequence, inbox_message"
)


@pytest.fixture(scope="session")
def event_log_db_url() -> Iterator[str]:
    with postgres_database("dvc_event_log_test", MIGRATIONS) as url:
        yield url


@pytest.fixture(scope="session")
def producers_db_url() -> Iterator[str]:
    with postgres_database("dvc_event_log_producers", PLATFORM_MIGRATIONS) as url:
        yield url


@pytest.fixture(scope="session")
def vhost_url() -> Iterator[str]:
    with rabbitmq_vhost("dvc-event-log-test") as vhost:
        yield vhost.url


def settings_for(
    db_url: str, amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/", **overrides: Any
) -> EventLogSettings:
    return EventLogSettings(
        database_url=SecretStr(db_url),
        amqp_url=SecretStr(amqp_url),
        log_json=False,
        db_pool_size=4,
        **overrides,
    )


@dataclass
class Producers:
    """The services' outboxes: `emit` adds an event in its own transaction, as a use-case would."""

    engine: AsyncEngine

    async def emit(
        self, service: str, event_type: EventType[Any], payload: Payload, subject: str
    ) -> CloudEvent:
        async with unit_of_work(self.engine)() as session:
            return await Outbox(source=f"dvc-{service}").add(session, event_type, payload, subject=subject)


@pytest.fixture
async def producers(producers_db_url: str) -> AsyncIterator[Producers]:
    engine = create_async_engine(producers_db_url)
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE outbox_message, event_sequence, inbox_message"))
    yield Producers(engine)
    await engine.dispose()


@dataclass
class EventLog:
    app: FastAPI
    http: httpx.AsyncClient

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    async def handle(self, session: Any, event: CloudEvent, *, now: datetime | None = None) -> None:
        """The event log's handler for `event`, inside the caller's transaction."""
        recorder = self.app.state.recorder
        (consumer,) = consumers(recorder if now is None else replace(recorder, clock=lambda: now))
        route = next(r for r in consumer.routes if r.event.ce_type == event.type)
        await route.handler(session, EventMeta.of(event), route.parse(event))

    async def deliver(self, event: CloudEvent, *, now: datetime | None = None) -> bool:
        """What the platform's subscriber does with one message; False for a redelivery."""
        async with self.runtime.transaction() as session:
            fresh = await inbox.claim(session, EVENTS_QUEUE.name, event.id, event.type)
            if fresh:
                await self.handle(session, event, now=now)
        return fresh

    async def sql(self, statement: str, **params: Any) -> list[dict[str, Any]]:
        async with self.runtime.engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(text(statement), params)]

    async def published(self) -> list[dict[str, Any]]:
        """What the relay will publish on dvc.events, in outbox order."""
        rows = await self.sql("SELECT exchange, routing_key, body FROM outbox_message ORDER BY id")
        return [
            {"exchange": r["exchange"], "routing_key": r["routing_key"], **_json(r["body"])} for r in rows
        ]

    async def feed(self, **params: Any) -> httpx.Response:
        return await self.http.get("/api/v1/events", params=params, headers=KEY)


def _json(body: Any) -> dict[str, Any]:
    return body if isinstance(body, dict) else dict(json.loads(body))


async def truncate(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES}"))


@pytest.fixture
async def event_log(event_log_db_url: str) -> AsyncIterator[EventLog]:
    app = build(settings_for(event_log_db_url))
    await truncate(app.state.runtime.engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://event-log"
    ) as client:
        yield EventLog(app, client)
    await app.state.runtime.engine.dispose()


def event_type_of(event: CloudEvent) -> EventType[Any]:
    return BY_TYPE[event.type]


def now() -> datetime:
    return datetime.now(UTC)
