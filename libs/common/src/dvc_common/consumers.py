"""Consumers: a queue's subscriber parses each event, runs its use-case once per event id, acks after commit.

A consumer is given typed routes (`Consumer.of(QUEUE, on(DOSSIER_SUBMITTED, open_dossier), …)`):
the platform validates the envelope and then the payload against the model the catalog declares
for the routing key, and calls the handler with `(session, meta, payload)`. An envelope or payload
that does not validate is dead-lettered at once as unparseable; an event type without a route is
dead-lettered too (the binding is wider than the routes). A failing handler is retried with
exponential backoff through `<queue>.retry`, then dead-lettered after `RetryPolicy.max_attempts`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from faststream import AckPolicy
from faststream.rabbit import RabbitBroker
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.schemas import Channel
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import inbox, metrics
from dvc_common.clock import wall_now
from dvc_common.events import CloudEvent, EventType, Payload
from dvc_common.jobs import backoff
from dvc_common.topology import (
    ATTEMPT_HEADER,
    DEAD_LETTERED_AT_HEADER,
    DLX,
    ERROR_HEADER,
    QueueSpec,
    main_queue,
)

log = logging.getLogger(__name__)
_TRACER = trace.get_tracer("dvc.broker")

P = TypeVar("P", bound=Payload)
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class EventMeta:
    """The envelope of an event without its data: what a handler may need besides the payload."""

    id: UUID
    type: str
    source: str
    subject: str
    time: datetime
    sequence: int
    correlationid: str
    traceparent: str | None = None

    @property
    def routing_key(self) -> str:
        return self.type.removeprefix("vn.dvc.")

    @classmethod
    def of(cls, event: CloudEvent) -> EventMeta:
        return cls(
            id=event.id,
            type=event.type,
            source=event.source,
            subject=event.subject,
            time=event.time,
            sequence=event.sequence,
            correlationid=event.correlationid,
            traceparent=event.traceparent,
        )


TypedHandler = Callable[[AsyncSession, EventMeta, P], Awaitable[None]]


@dataclass(frozen=True)
class Route(Generic[P]):
    """One event type of a queue and its handler; build it with `on()` so the types must agree."""

    event: EventType[P]
    handler: TypedHandler[P]

    def parse(self, event: CloudEvent) -> P:
        return self.event.parse(event.data)


def on(event: EventType[P], handler: TypedHandler[P]) -> Route[P]:
    """Route events of `event`'s routing key to `handler(session, meta, payload)`."""
    return Route(event, handler)


@dataclass(frozen=True)
class Consumer:
    """A queue of a service and the use-cases that handle its events: `Consumer.of(spec, *routes)`."""

    spec: QueueSpec
    routes: tuple[Route[Any], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.routes:
            raise ValueError(f"{self.spec.name}: a consumer needs at least one route")
        unbound = [r.event.routing_key for r in self.routes if not self.spec.binds(r.event.routing_key)]
        if unbound:
            raise ValueError(f"{self.spec.name} is not bound to {', '.join(unbound)}")

    @classmethod
    def of(cls, spec: QueueSpec, *routes: Route[Any]) -> Consumer:
        return cls(spec, routes)


class PermanentFailure(Exception):
    """Retrying cannot help (the event or its data is wrong): dead-letter at once."""


class UnexpectedEvent(PermanentFailure):
    """An event type this queue has no handler for (a binding that is too wide): dead-letter it."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_ms: int = 500
    max_delay_ms: int = 60_000

    def delay_ms(self, attempt: int) -> int:
        return int(backoff(attempt, self.base_delay_ms, self.max_delay_ms))


Call = Callable[[AsyncSession], Awaitable[None]]


class Unparseable(Exception):
    """The message is not a valid CloudEvent, or its data is not the payload its type declares."""


def _prepare(consumer: Consumer, event: CloudEvent) -> Call:
    """What to run in the transaction for `event`; raises Unparseable or UnexpectedEvent first."""
    route = next((r for r in consumer.routes if r.event.ce_type == event.type), None)
    if route is None:
        raise UnexpectedEvent(f"no handler for {event.type}")
    try:
        payload = route.parse(event)
    except ValidationError as exc:
        raise Unparseable(f"data is not a valid {route.event.routing_key}: {exc.errors()[:3]}") from exc
    meta = EventMeta.of(event)
    return lambda session: route.handler(session, meta, payload)


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
        headers[DEAD_LETTERED_AT_HEADER] = wall_now().isoformat()
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
        try:
            call = _prepare(consumer, event)
        except Unparseable as exc:
            metrics.CONSUMED.labels(service, queue, "poison").inc()
            await dead_letter(msg, str(exc))
            return
        except UnexpectedEvent as exc:
            metrics.CONSUMED.labels(service, queue, "dead_lettered").inc()
            await dead_letter(msg, f"{type(exc).__name__}: {exc}")
            return
        attempt = int((msg.headers or {}).get(ATTEMPT_HEADER, 1))
        started = time.perf_counter()
        try:
            async with transaction() as session:
                fresh = await inbox.claim(session, queue, event.id, event.type)
                if fresh:
                    await call(session)
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
