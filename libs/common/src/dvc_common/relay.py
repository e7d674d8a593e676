"""The outbox relay: publishes committed outbox rows to RabbitMQ with publisher confirms, in order.

Ordering: rows are spread over a fixed number of partitions by a hash of the subject (the aggregate),
and a relay only works on a partition while it holds that partition's transaction-level advisory lock.
Within a partition rows go out strictly in id order (one pipelined batch per pass, confirmed in order),
and ids of one subject follow its sequence (the sequence row lock serialises writers of one aggregate).
So several replicas relay safely and each aggregate's events keep their order, with at-least-once
delivery: a crash between the broker's confirm and the commit resends a row, which the consumers'
inbox absorbs. Its publisher (`AmqpPublisher`) lives here too: nothing else publishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import aiormq
import aiormq.abc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dvc_common import metrics
from dvc_common.events import CONTENT_TYPE
from dvc_common.jobs import PeriodicJob, RunAgain, backoff

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
        self._passes = 0
        self._idle_passes = 0
        self._last_observed = float("-inf")
        # Every replica relays (the partition locks share the work): no lease.
        self._job = PeriodicJob(
            f"{service}-relay", self._pass, every=self._max_idle, retry_base=0.5, retry_cap=10.0
        )

    def notify(self) -> None:
        """Wake the relay at once (a use-case just committed an event)."""
        self._job.wake()

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
        await self._job.run(stop)

    async def _pass(self) -> RunAgain:
        sent = await self.relay_once()
        now = time.monotonic()
        if now - self._last_observed >= 5:
            self._last_observed = now
            await self.observe_backlog()
        if self._passes % 10_000 == 0:
            await self.purge_sent()
        self._passes += 1
        if sent:
            self._idle_passes = 0
            return RunAgain()
        self._idle_passes += 1
        return RunAgain(after=backoff(self._idle_passes, self._idle, self._max_idle))


def _outgoing(row: Any) -> OutgoingMessage:
    body = row.body if isinstance(row.body, str) else json.dumps(row.body, ensure_ascii=False)
    # The use-case's trace context travels on, so one trace spans every hop.
    headers: dict[str, Any] = {"traceparent": row.traceparent} if row.traceparent else {}
    return OutgoingMessage(row.exchange, row.routing_key, body.encode(), str(row.event_id), headers)


class AmqpPublisher:
    """The relay's publisher: its own connection and confirm channel, batches pipelined in order.

    All publishes of a batch are written before the first confirm is awaited; the channel's
    publish lock hands out delivery tags in call order, so the broker receives (and confirms) the
    batch in outbox order. The result counts the confirmed prefix.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._connection: aiormq.abc.AbstractConnection | None = None
        self._channel: aiormq.abc.AbstractChannel | None = None

    async def _open_channel(self) -> aiormq.abc.AbstractChannel:
        if self._channel is None or self._channel.is_closed:
            await self.close()
            self._connection = await aiormq.connect(self._url)
            self._channel = await self._connection.channel(publisher_confirms=True)
        return self._channel

    async def publish_batch(self, messages: Sequence[OutgoingMessage]) -> PublishResult:
        try:
            channel = await self._open_channel()
        except Exception as exc:
            return PublishResult(0, exc)
        pending = [
            asyncio.ensure_future(
                channel.basic_publish(
                    m.body,
                    exchange=m.exchange,
                    routing_key=m.routing_key,
                    properties=aiormq.spec.Basic.Properties(
                        content_type=CONTENT_TYPE,
                        delivery_mode=2,
                        message_id=m.message_id,
                        headers=m.headers,
                    ),
                )
            )
            for m in messages
        ]
        outcomes = await asyncio.gather(*pending, return_exceptions=True)
        confirmed = 0
        for outcome in outcomes:
            if isinstance(outcome, aiormq.spec.Basic.Ack):
                confirmed += 1
                continue
            error = outcome if isinstance(outcome, Exception) else PublishNotConfirmed(repr(outcome))
            await self.close()  # a fresh channel next time
            return PublishResult(confirmed, error)
        return PublishResult(confirmed)

    async def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and not connection.is_closed:
            with contextlib.suppress(Exception):
                await connection.close()


class PublishNotConfirmed(Exception):
    """The broker answered a publish with a nack (or not at all)."""
