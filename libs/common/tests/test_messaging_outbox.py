"""The transactional outbox and its relay, against a real PostgreSQL database and RabbitMQ vhost.

What a consumer bound to `dvc.internal` (our services, and event-log, which republishes the public
ones on `dvc.events`) must see: only committed events, each at least once, in per-subject sequence
order, as CloudEvents carrying the trace of the request that caused them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aio_pika
import pytest
from faststream.rabbit import RabbitBroker
from opentelemetry.sdk.trace import TracerProvider
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common.db import unit_of_work
from dvc_common.events import (
    CONTENT_TYPE,
    DOSSIER_STATUS_CHANGED,
    INTERNAL_EXCHANGE,
    NATIONAL_STATUS_NAMES,
    CloudEvent,
    DossierStatusChanged,
)
from dvc_common.outbox import Outbox
from dvc_common.relay import AmqpPublisher, OutboxRelay, OutgoingMessage, PublishResult, backlog
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings
from dvc_common.topology import declare_topology

PARTITIONS = 8


class OutboxTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_OUTBOX_TEST_", extra="ignore")


async def eventually(check: Callable[[], bool | Awaitable[bool]], *, within: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        outcome = check()
        if not isinstance(outcome, bool):
            outcome = await outcome
        if outcome:
            return
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {within} s")
        await asyncio.sleep(0.02)


@dataclass
class Delivery:
    event: CloudEvent
    message: aio_pika.abc.AbstractIncomingMessage


@dataclass
class Tap:
    """A queue bound to every routing key of `dvc.internal` (where every producer's relay publishes),
    recording what arrives."""

    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def ids(self) -> set[uuid.UUID]:
        return {d.event.id for d in self.deliveries}

    def first_deliveries_by_subject(self) -> dict[str, list[int]]:
        seen: set[uuid.UUID] = set()
        by_subject: dict[str, list[int]] = defaultdict(list)
        for delivery in self.deliveries:
            if delivery.event.id in seen:
                continue
            seen.add(delivery.event.id)
            by_subject[delivery.event.subject].append(delivery.event.sequence)
        return dict(by_subject)


@contextlib.asynccontextmanager
async def tap_on_public_exchange(vhost_url: str) -> AsyncIterator[Tap]:
    tap = Tap()
    connection = await aio_pika.connect(vhost_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            INTERNAL_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")

        async def record(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                tap.deliveries.append(Delivery(CloudEvent.model_validate_json(message.body), message))

        await queue.consume(record)
        yield tap


@contextlib.asynccontextmanager
async def broker_publisher(vhost_url: str) -> AsyncIterator[AmqpPublisher]:
    broker = RabbitBroker(vhost_url, logger=None)
    await broker.connect()
    publisher = AmqpPublisher(vhost_url)
    try:
        await declare_topology(broker, [])
        yield publisher
    finally:
        await publisher.close()
        await broker.stop()


def status_changed(code: str, status: int) -> DossierStatusChanged:
    return DossierStatusChanged(
        code=code,
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=status,
        status_name=NATIONAL_STATUS_NAMES[status],
        previous_status=status - 1 if status > 1 else None,
        changed_at=datetime.now(UTC),
    )


def dossier_codes(count: int) -> list[str]:
    run = uuid.uuid4().hex[:4].upper()
    return [f"000.00.14.H56-260223-{run}{i:02d}" for i in range(count)]


async def add_events(engine: AsyncEngine, subjects: list[str], per_subject: int) -> list[CloudEvent]:
    """One transaction per event, subjects interleaved, as many use-cases would write them."""
    outbox = Outbox(source="dvc-outbox-test", partitions=PARTITIONS)
    transaction = unit_of_work(engine)
    added: list[CloudEvent] = []
    for round_ in range(per_subject):
        for subject in subjects:
            async with transaction() as session:
                added.append(
                    await outbox.add(
                        session,
                        DOSSIER_STATUS_CHANGED,
                        status_changed(subject, round_ % 10 + 1),
                        subject=subject,
                    )
                )
    return added


async def unsent(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await backlog(conn)).unsent


def assert_complete_and_ordered(tap: Tap, added: list[CloudEvent]) -> None:
    assert tap.ids == {e.id for e in added}, "some committed events never reached dvc.internal"
    expected: dict[str, int] = defaultdict(int)
    for event in added:
        expected[event.subject] += 1
    first = tap.first_deliveries_by_subject()
    for subject, count in expected.items():
        assert first[subject] == list(range(1, count + 1)), (
            f"{subject} arrived out of order: {first[subject]}"
        )


async def test_only_committed_events_are_published_in_subject_order_as_cloudevents_with_trace(
    platform_engine: AsyncEngine, platform_db_url: str, vhost_url: str
) -> None:
    settings = OutboxTestSettings(
        service_name="outbox-test",
        database_url=SecretStr(platform_db_url),
        amqp_url=SecretStr(vhost_url),
        log_json=False,
        relay_idle_seconds=0.02,
    )
    runtime = ServiceRuntime(settings)
    tracer = TracerProvider().get_tracer(__name__)
    a, b = dossier_codes(2)
    async with tap_on_public_exchange(vhost_url) as tap:
        await runtime.start()
        try:
            with pytest.raises(RuntimeError, match="use-case failed"):
                async with runtime.transaction() as session:
                    rolled_back = await runtime.outbox.add(
                        session, DOSSIER_STATUS_CHANGED, status_changed(a, 1), subject=a
                    )
                    raise RuntimeError("use-case failed after writing its event")

            committed: list[CloudEvent] = []
            with tracer.start_as_current_span("officer receives dossiers") as span:
                trace_id = format(span.get_span_context().trace_id, "032x")
                for status in (1, 2, 4):
                    for subject in (a, b):
                        async with runtime.transaction() as session:
                            committed.append(
                                await runtime.outbox.add(
                                    session,
                                    DOSSIER_STATUS_CHANGED,
                                    status_changed(subject, status),
                                    subject=subject,
                                )
                            )
            # Several events of one dossier in one transaction keep their order too.
            async with runtime.transaction() as session:
                for status in (5, 6, 9):
                    committed.append(
                        await runtime.outbox.add(
                            session, DOSSIER_STATUS_CHANGED, status_changed(a, status), subject=a
                        )
                    )

            await eventually(lambda: len(tap.deliveries) >= len(committed))
            await asyncio.sleep(0.3)  # anything else on its way arrives by now
        finally:
            await runtime.stop()

    received = [d.event for d in tap.deliveries]
    assert rolled_back.id not in {e.id for e in received}
    assert sorted(str(e.id) for e in received) == sorted(str(e.id) for e in committed), (
        "exactly the committed events"
    )
    # The rolled-back transaction took no sequence number: no gap for consumers to wait on.
    assert [e.sequence for e in received if e.subject == a] == [1, 2, 3, 4, 5, 6]
    assert [e.sequence for e in received if e.subject == b] == [1, 2, 3]
    assert [DossierStatusChanged.model_validate(e.data).status for e in received if e.subject == a] == [
        1,
        2,
        4,
        5,
        6,
        9,
    ]

    by_id = {e.id: e for e in committed}
    for delivery in tap.deliveries:
        event, message = delivery.event, delivery.message
        assert message.exchange == INTERNAL_EXCHANGE
        assert message.routing_key == "dossier.status_changed.v1"
        assert message.content_type == CONTENT_TYPE
        assert message.message_id == str(event.id)
        assert event == by_id[event.id], "the envelope on the wire is the one the use-case built"
        raw: dict[str, Any] = json.loads(message.body)
        assert raw["specversion"] == "1.0"
        assert raw["type"] == "vn.dvc.dossier.status_changed.v1"
        assert raw["source"] == "dvc-outbox-test"
        assert raw["datacontenttype"] == "application/json"
        assert datetime.fromisoformat(raw["time"]).utcoffset() is not None
        assert raw["correlationid"] == event.subject
        DossierStatusChanged.model_validate(raw["data"])

    traced = [d for d in tap.deliveries if by_id[d.event.id].traceparent is not None]
    assert len(traced) == 6, "events added inside the span carry its trace"
    assert all(e.traceparent is None for e in committed[6:]), "and only those"
    for delivery in traced:
        traceparent = delivery.message.headers["traceparent"]
        header = traceparent.decode() if isinstance(traceparent, bytes) else str(traceparent)
        assert header.split("-")[1] == trace_id
        assert delivery.event.traceparent is not None and delivery.event.traceparent.split("-")[1] == trace_id


class SignallingPublisher:
    """Passes every batch to the real broker and signals once `after` were confirmed."""

    def __init__(self, inner: AmqpPublisher, after: int) -> None:
        self._inner = inner
        self._after = after
        self.confirmed = 0
        self.reached = asyncio.Event()

    async def publish_batch(self, messages: Sequence[OutgoingMessage]) -> PublishResult:
        result = await self._inner.publish_batch(messages)
        self.confirmed += result.confirmed
        if self.confirmed >= self._after:
            self.reached.set()
            await asyncio.sleep(0.5)  # stopped here, between the broker's confirm and the commit
        return result


async def test_relay_stopped_mid_batch_then_restarted_loses_nothing_and_keeps_order(
    platform_engine: AsyncEngine, vhost_url: str
) -> None:
    added = await add_events(platform_engine, dossier_codes(6), per_subject=30)
    async with tap_on_public_exchange(vhost_url) as tap, broker_publisher(vhost_url) as publisher:
        first = SignallingPublisher(publisher, after=len(added) // 2 + 3)  # inside a batch of 16
        relay = OutboxRelay(
            platform_engine, first, service="outbox-test", partitions=PARTITIONS, batch_size=16
        )
        task = asyncio.create_task(relay.run(asyncio.Event()))
        await asyncio.wait_for(first.reached.wait(), timeout=15)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert 0 < await unsent(platform_engine) < len(added), "the relay was stopped half-way"

        stop = asyncio.Event()
        second = OutboxRelay(
            platform_engine, publisher, service="outbox-test", partitions=PARTITIONS, batch_size=16
        )
        restarted = asyncio.create_task(second.run(stop))
        try:
            await eventually(lambda: tap.ids >= {e.id for e in added})
            await eventually(lambda: _all_sent(platform_engine))
        finally:
            stop.set()
            second.notify()
            await restarted

    assert_complete_and_ordered(tap, added)


async def _all_sent(engine: AsyncEngine) -> bool:
    return await unsent(engine) == 0


class FailingPublisher:
    """The broker connection drops after `ok` confirmed publishes."""

    def __init__(self, inner: AmqpPublisher, ok: int) -> None:
        self._inner = inner
        self._ok = ok

    async def publish_batch(self, messages: Sequence[OutgoingMessage]) -> PublishResult:
        sent = await self._inner.publish_batch(messages[: self._ok])
        self._ok -= sent.confirmed
        if sent.confirmed < len(messages):
            return PublishResult(sent.confirmed, ConnectionError("broker connection lost"))
        return sent


async def test_publish_failure_mid_batch_does_not_resend_what_the_broker_confirmed(
    platform_engine: AsyncEngine, vhost_url: str
) -> None:
    added = await add_events(platform_engine, dossier_codes(1), per_subject=10)
    async with tap_on_public_exchange(vhost_url) as tap, broker_publisher(vhost_url) as publisher:
        relay = OutboxRelay(
            platform_engine, FailingPublisher(publisher, ok=4), service="outbox-test", partitions=PARTITIONS
        )
        with pytest.raises(ConnectionError):
            await relay.relay_once()
        assert await unsent(platform_engine) == 6, "the four confirmed events are marked sent"
        healthy = OutboxRelay(platform_engine, publisher, service="outbox-test", partitions=PARTITIONS)
        assert await healthy.relay_once() == 6
        await eventually(lambda: len(tap.deliveries) >= 10)
        await asyncio.sleep(0.2)

    assert [d.event.sequence for d in tap.deliveries] == list(range(1, 11)), "each event once, in order"
    assert_complete_and_ordered(tap, added)


async def test_two_relays_on_one_database_deliver_everything_once_in_subject_order(
    platform_engine: AsyncEngine, vhost_url: str
) -> None:
    subjects = dossier_codes(12)
    async with (
        tap_on_public_exchange(vhost_url) as tap,
        broker_publisher(vhost_url) as publisher_a,
        broker_publisher(vhost_url) as publisher_b,
    ):
        stop = asyncio.Event()
        relays = [
            OutboxRelay(
                platform_engine,
                publisher,
                service="outbox-test",
                partitions=PARTITIONS,
                batch_size=8,
                idle_seconds=0.005,
            )
            for publisher in (publisher_a, publisher_b)
        ]
        tasks = [asyncio.create_task(relay.run(stop)) for relay in relays]
        try:
            # Four writers at once, each touching every dossier, while both relays run.
            batches = await asyncio.gather(
                *(add_events(platform_engine, subjects, per_subject=5) for _ in range(4))
            )
            added = [event for batch in batches for event in batch]
            await eventually(lambda: tap.ids >= {e.id for e in added})
            await eventually(lambda: _all_sent(platform_engine))
            await asyncio.sleep(0.2)
        finally:
            stop.set()
            for relay in relays:
                relay.notify()
            await asyncio.gather(*tasks)

    assert len(tap.deliveries) == len(added) == 240, "every event exactly once"
    assert_complete_and_ordered(tap, added)
    async with platform_engine.connect() as conn:
        sequences = (await conn.execute(text("SELECT count(*) FROM event_sequence"))).scalar_one()
    assert sequences == len(subjects)
