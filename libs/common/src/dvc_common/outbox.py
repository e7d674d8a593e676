"""Transactional outbox: use-cases add events in their own transaction; the relay publishes them.

Ordering: rows are spread over a fixed number of partitions by a hash of the subject (the aggregate),
and a relay only works on a partition while it holds that partition's transaction-level advisory lock.
Within a partition rows go out strictly in id order (one pipelined batch per pass, confirmed in order), and ids of one subject follow its sequence
(the sequence row lock serialises writers of one aggregate). So several replicas relay safely and
each aggregate's events keep their order, with at-least-once delivery: a crash between the broker's
confirm and the commit resends a row, which the consumers' inbox absorbs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import metrics
from dvc_common.events import CloudEvent, EventType, Payload
from dvc_common.settings import ServiceSettings

log = logging.getLogger(__name__)

EVENTS_ADDED = "dvc_outbox_events_added"  # session.info flag: wake the relay after this commit
RELAY_LOCK_NAMESPACE = 0x0D7C0B0  # first key of pg_try_advisory_xact_lock(int, int)


@dataclass(frozen=True)
class OutgoingMessage:
    exchange: str
    routing_key: str
    body: bytes
    message_id: str
    headers: dict[str, Any]


@dataclass(frozen=True)
class PublishResult:
    """How many messages, from the first, the broker confirmed; the error that stopped the rest."""

    confirmed: int
    error: Exception | None = None


class Publisher(Protocol):
    async def publish_batch(self, messages: Sequence[OutgoingMessage]) -> PublishResult:
        """Publish in order with publisher confirms."""
        ...


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
        traceparent = current_traceparent()
        event = CloudEvent(
            id=uuid.uuid4(),
            type=event_type.ce_type,
            source=self.source,
            subject=subject,
            time=datetime.now(UTC),
            data=payload.model_dump(mode="json"),
            sequence=1,  # replaced by the database with the subject's next sequence number
            correlationid=correlation_id or subject,
            traceparent=traceparent,
        )
        # One round trip: take the subject's next sequence number (its row stays locked until commit,
        # which serialises writers of one aggregate) and insert the event carrying it.
        result = await session.execute(
            ADD_EVENT,
            {
                "key": f"{self.source}:{subject}",
                "event_id": event.id,
                "exchange": event_type.exchange,
                "routing_key": event_type.routing_key,
                "subject": subject,
                "partition": partition_of(subject, self.partitions),
                "body": event.model_dump_json(),
                "traceparent": traceparent,
            },
        )
        session.info[EVENTS_ADDED] = True
        return event.model_copy(update={"sequence": int(result.scalar_one())})


# Built once: text() parses its parameters on construction, and this runs for every event.
ADD_EVENT = text(
    "WITH seq AS (INSERT INTO event_sequence (subject, last_value) VALUES (:key, 1)"
    " ON CONFLICT (subject) DO UPDATE SET last_value = event_sequence.last_value + 1"
    " RETURNING last_value)"
    " INSERT INTO outbox_message (event_id, exchange, routing_key, subject, partition, body, traceparent)"
    " SELECT :event_id, :exchange, :routing_key, :subject, :partition,"
    " jsonb_set(CAST(:body AS jsonb), '{sequence}', to_jsonb(seq.last_value)), :traceparent FROM seq"
    " RETURNING (body->>'sequence')::bigint"
)


def outbox_for(settings: ServiceSettings) -> Outbox:
    return Outbox(source=f"dvc-{settings.service_name}", partitions=settings.relay_partitions)


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
    """Publishes unsent outbox rows with publisher confirms, in order per partition.

    One pass is one short transaction: take the advisory locks of every free partition in one
    statement, then (in the next statement, with a snapshot taken under the locks) read the oldest
    unsent rows of those partitions, publish them pipelined (the broker
    confirms them in order), mark the confirmed prefix sent, commit.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        publisher: Publisher,
        *,
        service: str,
        partitions: int = 8,
        batch_size: int = 200,
        idle_seconds: float = 0.05,
        max_idle_seconds: float = 1.0,
        retention_days: int = 7,
    ) -> None:
        self._engine = engine
        self._publisher = publisher
        self._service = service
        self._partitions = partitions
        self._batch_size = batch_size
        self._idle = idle_seconds
        self._max_idle = max(max_idle_seconds, idle_seconds)
        self._retention_days = retention_days
        self._wakeup = asyncio.Event()

    def notify(self) -> None:
        """Wake the relay at once (a use-case just committed an event)."""
        self._wakeup.set()

    async def relay_once(self) -> int:
        """One pass; returns how many events were published. Raises after committing a partial batch."""
        async with self._engine.begin() as conn:
            locked = (
                (
                    await conn.execute(
                        text(
                            "SELECT p FROM generate_series(0, :parts - 1) AS p WHERE pg_try_advisory_xact_lock(:ns, p)"
                        ),
                        {"parts": self._partitions, "ns": RELAY_LOCK_NAMESPACE},
                    )
                )
                .scalars()
                .all()
            )
            if not locked:
                return 0
            # A separate statement, so its snapshot is taken after the locks are held: rows another
            # relay sent and committed just before releasing a partition are seen as sent.
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, event_id, exchange, routing_key, body, traceparent FROM outbox_message"
                        " WHERE sent_at IS NULL AND partition = ANY(:locked) ORDER BY id LIMIT :n"
                    ),
                    {"locked": list(locked), "n": self._batch_size},
                )
            ).all()
            if not rows:
                return 0
            result = await self._publisher.publish_batch([_outgoing(row) for row in rows])
            # The confirmed prefix is marked sent and committed even when the rest failed; the error
            # is raised only after the commit, or the update would be rolled back with it.
            if result.confirmed:
                await conn.execute(
                    text("UPDATE outbox_message SET sent_at = now() WHERE id = ANY(:ids)"),
                    {"ids": [row.id for row in rows[: result.confirmed]]},
                )
                metrics.OUTBOX_PUBLISHED.labels(self._service).inc(result.confirmed)
        if result.error is not None:
            raise result.error
        return result.confirmed

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
        """Relay until `stop` is set; errors are logged and retried with backoff, never fatal.

        Woken at once by `notify()` after local commits; otherwise it polls, backing off while idle
        (rows left by a crashed replica or written by another one are still picked up).
        """
        delay = self._idle
        passes = 0
        last_observed = float("-inf")
        while not stop.is_set():
            self._wakeup.clear()  # before the pass: a notify() during the pass is not lost
            try:
                sent = await self.relay_once()
                now = time.monotonic()
                if now - last_observed >= 5:
                    last_observed = now
                    await self.observe_backlog()
                if passes % 10_000 == 0:
                    await self.purge_sent()
                passes += 1
                delay = 0 if sent else min(max(delay * 2, self._idle), self._max_idle)
            except Exception:
                log.exception("outbox relay failed; retrying", extra={"service": self._service})
                delay = min(max(delay * 2, 0.5), 10.0)
            if delay:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=delay)
                if self._wakeup.is_set():
                    delay = self._idle


def _outgoing(row: Any) -> OutgoingMessage:
    body = row.body if isinstance(row.body, str) else json.dumps(row.body, ensure_ascii=False)
    # The use-case's trace context travels on, so one trace spans every hop.
    headers: dict[str, Any] = {"traceparent": row.traceparent} if row.traceparent else {}
    return OutgoingMessage(row.exchange, row.routing_key, body.encode(), str(row.event_id), headers)
