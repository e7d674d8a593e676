"""Transactional outbox: use-cases add events in their own transaction; the relay publishes them.

Ordering: rows are spread over a fixed number of partitions by a hash of the subject (the aggregate),
and a relay only works on a partition while it holds that partition's transaction-level advisory lock.
Within a partition rows go out strictly in id order, and ids of one subject follow its sequence
(the sequence row lock serialises writers of one aggregate). So several replicas relay safely and
each aggregate's events keep their order, with at-least-once delivery: a crash between the broker's
confirm and the commit resends a row, which the consumers' inbox absorbs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from opentelemetry import context as otel_context
from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import metrics
from dvc_common.events import CloudEvent, EventType, Payload
from dvc_common.settings import ServiceSettings

log = logging.getLogger(__name__)

RELAY_LOCK_NAMESPACE = 0x0D7C0B0  # first key of pg_try_advisory_xact_lock(int, int)


class Publisher(Protocol):
    async def publish(
        self, *, exchange: str, routing_key: str, body: bytes, message_id: str, headers: dict[str, Any]
    ) -> None: ...


def partition_of(subject: str, partitions: int) -> int:
    return zlib.crc32(subject.encode()) % partitions


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


@dataclass(frozen=True)
class Outbox:
    """Adds events to the outbox inside the caller's transaction."""

    source: str
    partitions: int = 8

    async def add(
        self,
        session: AsyncSession,
        event_type: EventType[Any],
        payload: Payload,
        *,
        subject: str,
        correlation_id: str | None = None,
    ) -> CloudEvent:
        if not isinstance(payload, event_type.payload):
            raise TypeError(f"{event_type.routing_key} expects {event_type.payload.__name__}")
        sequence = await _next_sequence(session, f"{self.source}:{subject}")
        traceparent = current_traceparent()
        event = CloudEvent(
            id=uuid.uuid4(),
            type=event_type.ce_type,
            source=self.source,
            subject=subject,
            time=datetime.now(UTC),
            data=payload.model_dump(mode="json"),
            sequence=sequence,
            correlationid=correlation_id or subject,
            traceparent=traceparent,
        )
        await session.execute(
            text(
                "INSERT INTO outbox_message (event_id, exchange, routing_key, subject, partition, body, traceparent)"
                " VALUES (:event_id, :exchange, :routing_key, :subject, :partition, CAST(:body AS jsonb),"
                " :traceparent)"
            ),
            {
                "event_id": event.id,
                "exchange": event_type.exchange,
                "routing_key": event_type.routing_key,
                "subject": subject,
                "partition": partition_of(subject, self.partitions),
                "body": event.model_dump_json(),
                "traceparent": traceparent,
            },
        )
        return event


def outbox_for(settings: ServiceSettings) -> Outbox:
    return Outbox(source=f"dvc-{settings.service_name}", partitions=settings.relay_partitions)


async def _next_sequence(session: AsyncSession, key: str) -> int:
    result = await session.execute(
        text(
            "INSERT INTO event_sequence (subject, last_value) VALUES (:key, 1)"
            " ON CONFLICT (subject) DO UPDATE SET last_value = event_sequence.last_value + 1"
            " RETURNING last_value"
        ),
        {"key": key},
    )
    return int(result.scalar_one())


@dataclass(frozen=True)
class Backlog:
    unsent: int
    oldest_age_seconds: float


async def backlog(conn: AsyncConnection) -> Backlog:
    row = (
        await conn.execute(
            text(
                "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)"
                " FROM outbox_message WHERE sent_at IS NULL"
            )
        )
    ).one()
    return Backlog(unsent=int(row[0]), oldest_age_seconds=float(row[1]))


class OutboxRelay:
    """Publishes unsent outbox rows with publisher confirms, partition by partition."""

    def __init__(
        self,
        engine: AsyncEngine,
        publisher: Publisher,
        *,
        service: str,
        partitions: int = 8,
        batch_size: int = 200,
        idle_seconds: float = 0.05,
        retention_days: int = 7,
    ) -> None:
        self._engine = engine
        self._publisher = publisher
        self._service = service
        self._partitions = partitions
        self._batch_size = batch_size
        self._idle = idle_seconds
        self._retention_days = retention_days
        self._wakeup = asyncio.Event()

    def notify(self) -> None:
        """Wake the relay at once (a use-case just committed an event)."""
        self._wakeup.set()

    async def relay_once(self) -> int:
        sent = 0
        for partition in range(self._partitions):
            sent += await self._relay_partition(partition)
        return sent

    async def _relay_partition(self, partition: int) -> int:
        failure: Exception | None = None
        async with self._engine.begin() as conn:
            locked = (
                await conn.execute(
                    text("SELECT pg_try_advisory_xact_lock(:ns, :p)"),
                    {"ns": RELAY_LOCK_NAMESPACE, "p": partition},
                )
            ).scalar_one()
            if not locked:
                return 0
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, event_id, exchange, routing_key, body, traceparent FROM outbox_message"
                        " WHERE partition = :p AND sent_at IS NULL ORDER BY id LIMIT :n"
                    ),
                    {"p": partition, "n": self._batch_size},
                )
            ).all()
            published: list[int] = []
            try:
                for row in rows:
                    await self._publish(row)
                    published.append(row.id)
            except Exception as exc:
                failure = exc
            # Whatever was confirmed is marked sent and committed, even when a later publish failed
            # (the error is raised only after the commit, or the update would be rolled back with it).
            if published:
                await conn.execute(
                    text("UPDATE outbox_message SET sent_at = now() WHERE id = ANY(:ids)"),
                    {"ids": published},
                )
                metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(published))
        if failure is not None:
            raise failure
        return len(published)

    async def _publish(self, row: Any) -> None:
        body = row.body if isinstance(row.body, str) else json.dumps(row.body, ensure_ascii=False)
        headers: dict[str, Any] = {}
        if row.traceparent:
            headers["traceparent"] = row.traceparent
        # Publish inside the trace the use-case started, so one trace spans every hop.
        token = otel_context.attach(propagate.extract(headers))
        try:
            await self._publisher.publish(
                exchange=row.exchange,
                routing_key=row.routing_key,
                body=body.encode(),
                message_id=str(row.event_id),
                headers=headers,
            )
        finally:
            otel_context.detach(token)

    async def purge_sent(self) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                text("DELETE FROM outbox_message WHERE sent_at < now() - make_interval(days => :d)"),
                {"d": self._retention_days},
            )
            return int(result.rowcount or 0)

    async def observe_backlog(self) -> Backlog:
        async with self._engine.connect() as conn:
            current = await backlog(conn)
        metrics.OUTBOX_BACKLOG.labels(self._service).set(current.unsent)
        metrics.OUTBOX_LAG.labels(self._service).set(current.oldest_age_seconds)
        return current

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set; errors are logged and retried with backoff, never fatal."""
        delay = self._idle
        loops = 0
        while not stop.is_set():
            try:
                sent = await self.relay_once()
                if loops % 100 == 0:
                    await self.observe_backlog()
                if loops % 10_000 == 0:
                    await self.purge_sent()
                loops += 1
                delay = 0 if sent else self._idle
            except Exception:
                log.exception("outbox relay failed; retrying", extra={"service": self._service})
                delay = min(max(delay * 2, 0.5), 10.0)
            if delay:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=delay)
