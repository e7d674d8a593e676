"""Typed consumers against a real RabbitMQ vhost and PostgreSQL database: the platform parses the payload
the catalog declares for the routing key; what does not validate is dead-lettered before any handler runs."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aio_pika
import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import deadletters
from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PAYMENT_COMPLETED,
    CloudEvent,
    DossierStatusChanged,
    DossierSubmitted,
    EventType,
    NationalStatus,
)
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings
from dvc_common.topology import QueueSpec


class TypedTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_TYPED_CONSUMER_TEST_", extra="ignore")


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {within} s")
        await asyncio.sleep(0.02)


class Received:
    """What the typed handlers were called with, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[EventMeta, Any]] = []
        self.arrived = asyncio.Event()

    async def submitted(self, session: AsyncSession, meta: EventMeta, payload: DossierSubmitted) -> None:
        self.calls.append((meta, payload))
        self.arrived.set()

    async def status_changed(
        self, session: AsyncSession, meta: EventMeta, payload: DossierStatusChanged
    ) -> None:
        self.calls.append((meta, payload))
        self.arrived.set()


@contextlib.asynccontextmanager
async def running(db_url: str, amqp_url: str, consumer: Consumer) -> AsyncIterator[ServiceRuntime]:
    settings = TypedTestSettings(
        service_name="typed-consumer-test",
        database_url=SecretStr(db_url),
        amqp_url=SecretStr(amqp_url),
        log_json=False,
        log_level="ERROR",
    )
    runtime = ServiceRuntime(settings, [consumer])
    await runtime.start(relay=False)
    try:
        yield runtime
    finally:
        await runtime.stop()


def envelope(
    event_type: EventType[Any], data: dict[str, Any], subject: str = "000.00.14.H56-260223-0001"
) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-test",
        subject=subject,
        time=datetime.now(UTC),
        data=data,
        sequence=7,
        correlationid="corr-1",
        traceparent=None,
    )


async def send(channel: aio_pika.abc.AbstractChannel, queue: str, event: CloudEvent) -> None:
    await channel.default_exchange.publish(
        aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id)), routing_key=queue
    )


def typed_consumer(received: Received) -> Consumer:
    spec = QueueSpec.for_events(
        f"typed-test.q-{uuid.uuid4().hex[:8]}", DOSSIER_SUBMITTED, DOSSIER_STATUS_CHANGED
    )
    return Consumer.of(
        spec, on(DOSSIER_SUBMITTED, received.submitted), on(DOSSIER_STATUS_CHANGED, received.status_changed)
    )


async def test_typed_handler_receives_the_envelope_meta_and_the_parsed_payload(
    platform_engine: Any, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    received = Received()
    consumer = typed_consumer(received)
    changed = DOSSIER_STATUS_CHANGED.example.model_copy(update={"status": 4, "previous_status": 2})
    event = envelope(DOSSIER_STATUS_CHANGED, changed.model_dump(mode="json"))
    async with running(platform_db_url, vhost_url, consumer):
        await send(amqp_channel, consumer.spec.name, event)
        await asyncio.wait_for(received.arrived.wait(), timeout=10)
    [(meta, payload)] = received.calls
    assert isinstance(payload, DossierStatusChanged) and payload == changed
    assert payload.national_status is NationalStatus.PROCESSING
    assert payload.previous_national_status is NationalStatus.RECEIVED
    assert meta == EventMeta(
        id=event.id,
        type=event.type,
        source="dvc-test",
        subject=event.subject,
        time=event.time,
        sequence=7,
        correlationid="corr-1",
    )
    assert meta.routing_key == "dossier.status_changed.v1"


async def test_payload_that_does_not_validate_is_dead_lettered_at_once_as_unparseable(
    platform_engine: Any, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    received = Received()
    consumer = typed_consumer(received)
    data = DOSSIER_SUBMITTED.example.model_dump(mode="json") | {"channel": 9}  # not 1, 2 or 3
    event = envelope(DOSSIER_SUBMITTED, data)
    async with running(platform_db_url, vhost_url, consumer):
        await send(amqp_channel, consumer.spec.name, event)

        async def dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, consumer.spec.name) == 1

        await eventually(dead_lettered)
    assert received.calls == [], "the handler never sees a payload that does not validate"
    [letter] = await deadletters.list_dead_letters(vhost_url, consumer.spec.name)
    assert letter.message_id == str(event.id)
    assert letter.error is not None and letter.error.startswith("data is not a valid dossier.submitted.v1")


async def test_an_event_type_without_a_route_is_dead_lettered(
    platform_engine: Any, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    received = Received()
    consumer = typed_consumer(received)
    event = envelope(PAYMENT_COMPLETED, PAYMENT_COMPLETED.example.model_dump(mode="json"))
    async with running(platform_db_url, vhost_url, consumer):
        await send(amqp_channel, consumer.spec.name, event)

        async def dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, consumer.spec.name) == 1

        await eventually(dead_lettered)
    assert received.calls == []
    [letter] = await deadletters.list_dead_letters(vhost_url, consumer.spec.name)
    assert letter.error == "UnexpectedEvent: no handler for vn.dvc.payment.completed.v1"


def test_a_route_outside_the_queue_bindings_is_refused_when_the_consumer_is_built() -> None:
    received = Received()
    spec = QueueSpec.for_events("typed-test.narrow", DOSSIER_STATUS_CHANGED)
    with pytest.raises(ValueError, match=r"not bound to dossier\.submitted\.v1"):
        Consumer.of(spec, on(DOSSIER_SUBMITTED, received.submitted))
    with pytest.raises(ValueError, match="needs at least one route"):
        Consumer.of(spec)
    wide = QueueSpec("typed-test.wide", DOSSIER_SUBMITTED.exchange, ("dossier.#",))
    assert Consumer.of(wide, on(DOSSIER_SUBMITTED, received.submitted)).routes[0].event is DOSSIER_SUBMITTED


@pytest.mark.parametrize(
    ("pattern", "key", "matches"),
    [
        ("dossier.submitted.v1", "dossier.submitted.v1", True),
        ("dossier.*.v1", "dossier.submitted.v1", True),
        ("dossier.*", "dossier.submitted.v1", False),
        ("dossier.#", "dossier.submitted.v1", True),
        ("#", "payment.completed.v1", True),
        ("officer.*.v1", "agency.upserted.v1", False),
        ("#.v1", "dossier.status_changed.v1", True),
    ],
)
def test_topic_patterns_match_as_rabbitmq_does(pattern: str, key: str, matches: bool) -> None:
    assert QueueSpec("q", "dvc.events", (pattern,)).binds(key) is matches
