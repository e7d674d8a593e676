"""RabbitMQ topology and consumers, declared in code with FastStream.

Per consuming queue `<service>.<purpose>` (durable, quorum):
- bindings to `dvc.events` / `dvc.internal` by routing-key patterns;
- `<queue>.retry`: a waiting room without consumers; a failed message is parked there with a
  per-message expiry (exponential backoff) and RabbitMQ dead-letters it back into the queue;
- `<queue>.dlq`: bound to the direct exchange `dvc.dlx`; messages that failed `max_attempts`
  times (or cannot be parsed) end here with the error attached, to be inspected and replayed.
The queue's own dead-letter exchange is also `dvc.dlx`, with a delivery limit, so a message that
crashes its consumer over and over still ends in the dead-letter queue rather than looping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiormq
import aiormq.abc
from faststream import AckPolicy
from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.schemas import Channel
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import inbox, metrics
from dvc_common.events import CONTENT_TYPE, INTERNAL_EXCHANGE, PUBLIC_EXCHANGE, CloudEvent, EventType
from dvc_common.outbox import OutgoingMessage, PublishResult

log = logging.getLogger(__name__)
_TRACER = trace.get_tracer("dvc.broker")

DEAD_LETTER_EXCHANGE = "dvc.dlx"
ATTEMPT_HEADER = "x-dvc-attempt"
ERROR_HEADER = "x-dvc-error"

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class QueueSpec:
    """One consuming queue `<service>.<purpose>` and the routing-key patterns it is bound by."""

    name: str
    exchange: str
    bindings: tuple[str, ...]


@dataclass(frozen=True)
class Consumer:
    """A queue of a service and the use-case that handles its events."""

    spec: QueueSpec
    handler: Handler


class PermanentFailure(Exception):
    """Retrying cannot help (the event or its data is wrong): dead-letter at once."""


class UnexpectedEvent(PermanentFailure):
    """An event type this queue has no handler for (a binding that is too wide): dead-letter it."""


def dispatch(handlers: Mapping[EventType[Any], Handler]) -> Handler:
    """One handler for a queue bound to several routing keys: route each event by its type."""
    by_type = {event_type.ce_type: handler for event_type, handler in handlers.items()}

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        handler = by_type.get(event.type)
        if handler is None:
            raise UnexpectedEvent(f"no handler for {event.type}")
        await handler(session, event)

    return handle


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_ms: int = 500
    max_delay_ms: int = 60_000

    def delay_ms(self, attempt: int) -> int:
        return int(min(self.base_delay_ms * 2 ** (attempt - 1), self.max_delay_ms))


def topic_exchange(name: str) -> RabbitExchange:
    return RabbitExchange(name, type=ExchangeType.TOPIC, durable=True)


EXCHANGES = {name: topic_exchange(name) for name in (PUBLIC_EXCHANGE, INTERNAL_EXCHANGE)}
DLX = RabbitExchange(DEAD_LETTER_EXCHANGE, type=ExchangeType.DIRECT, durable=True)


# Queue arguments must not depend on tunable settings: a redeclaration with other arguments fails.
# The delivery limit only catches consumers that crash before acknowledging; handled failures go
# through the retry queue and count `RetryPolicy.max_attempts`.
DELIVERY_LIMIT = 20


def main_queue(name: str) -> RabbitQueue:
    return RabbitQueue(
        name,
        queue_type=QueueType.QUORUM,
        durable=True,
        arguments={
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": name,
            "x-delivery-limit": DELIVERY_LIMIT,
        },
    )


def retry_queue(name: str) -> RabbitQueue:
    return RabbitQueue(
        f"{name}.retry",
        durable=True,
        arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name},
    )


def dead_letter_queue(name: str) -> RabbitQueue:
    return RabbitQueue(f"{name}.dlq", queue_type=QueueType.QUORUM, durable=True)


async def declare_topology(broker: RabbitBroker, specs: Iterable[QueueSpec]) -> None:
    """Declare exchanges, queues and bindings; idempotent, safe for every replica at start-up.

    `dvc migrate` runs it too, so queues exist (and collect events) before their service first starts.
    """
    declared = {name: await broker.declare_exchange(exchange) for name, exchange in EXCHANGES.items()}
    dlx = await broker.declare_exchange(DLX)
    for spec in specs:
        queue = await broker.declare_queue(main_queue(spec.name))
        for pattern in spec.bindings:
            await queue.bind(declared[spec.exchange], routing_key=pattern)
        await broker.declare_queue(retry_queue(spec.name))
        dlq = await broker.declare_queue(dead_letter_queue(spec.name))
        await dlq.bind(dlx, routing_key=spec.name)


def subscribe(
    broker: RabbitBroker,
    consumer: Consumer,
    *,
    service: str,
    transaction: Transaction,
    policy: RetryPolicy,
    prefetch: int = 32,
) -> None:
    """Register a subscriber: parse, run the use-case once per event id, ack after commit.

    Each subscriber has its own channel whose prefetch bounds the unacknowledged messages in flight.
    """
    queue = consumer.spec.name

    async def dead_letter(msg: RabbitMessage, error: str) -> None:
        headers = dict(msg.headers or {})
        headers[ERROR_HEADER] = error[:1000]
        headers["x-dvc-dead-lettered-at"] = datetime.now(UTC).isoformat()
        await broker.publish(
            msg.body,
            exchange=DLX,
            routing_key=queue,
            headers=headers,
            message_id=msg.message_id,
            content_type=msg.content_type,
            persist=True,
        )
        await msg.ack()
        metrics.DEAD_LETTERS.labels(service, queue).inc()
        log.error(
            "message dead-lettered", extra={"queue": queue, "message_id": msg.message_id, "error": error}
        )

    async def retry_later(msg: RabbitMessage, attempt: int, error: str) -> None:
        headers = dict(msg.headers or {})
        headers[ATTEMPT_HEADER] = attempt + 1
        headers[ERROR_HEADER] = error[:1000]
        await broker.publish(
            msg.body,
            queue=f"{queue}.retry",
            headers=headers,
            message_id=msg.message_id,
            content_type=msg.content_type,
            expiration=policy.delay_ms(attempt) / 1000,
            persist=True,
        )
        await msg.ack()

    @broker.subscriber(
        main_queue(queue), ack_policy=AckPolicy.MANUAL, title=queue, channel=Channel(prefetch_count=prefetch)
    )
    async def on_message(msg: RabbitMessage) -> None:
        # The producer's trace continues here (W3C traceparent in the headers), so one trace spans
        # every hop; a plain span is far cheaper than FastStream's telemetry middleware.
        headers = {k: v.decode() if isinstance(v, bytes) else str(v) for k, v in (msg.headers or {}).items()}
        with _TRACER.start_as_current_span(
            f"{queue} process",
            context=propagate.extract(headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.destination.name": queue,
                "messaging.message.id": msg.message_id or "",
            },
        ):
            await process(msg)

    async def process(msg: RabbitMessage) -> None:
        try:
            event = CloudEvent.model_validate_json(msg.body)
        except ValidationError as exc:
            metrics.CONSUMED.labels(service, queue, "poison").inc()
            await dead_letter(msg, f"not a valid CloudEvent: {exc.errors()[:3]}")
            return
        attempt = int((msg.headers or {}).get(ATTEMPT_HEADER, 1))
        started = time.perf_counter()
        try:
            async with transaction() as session:
                fresh = await inbox.claim(session, queue, event.id, event.type)
                if fresh:
                    await consumer.handler(session, event)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.warning(
                "handler failed",
                extra={"queue": queue, "event_id": str(event.id), "attempt": attempt, "error": error},
            )
            if attempt >= policy.max_attempts or isinstance(exc, PermanentFailure):
                metrics.CONSUMED.labels(service, queue, "dead_lettered").inc()
                await dead_letter(msg, error)
            else:
                metrics.CONSUMED.labels(service, queue, "retried").inc()
                await retry_later(msg, attempt, error)
            return
        await msg.ack()
        metrics.CONSUME_LATENCY.labels(service, queue).observe(time.perf_counter() - started)
        metrics.CONSUMED.labels(service, queue, "processed" if fresh else "duplicate").inc()
        if not fresh:
            log.info("duplicate event skipped", extra={"queue": queue, "event_id": str(event.id)})


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
