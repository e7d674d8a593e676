"""Over the real broker: the producers' relays publish on dvc.internal, two event-log replicas compete
for its queue, and an integrator bound to dvc.events gets every public event once, gap-free per
dossier, parsed with the official CloudEvents SDK."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq_event
from event_log_support import Producers, settings_for, truncate
from test_event_log_sequencing import example, new_code

from dvc_common.events import (
    BY_TYPE,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_RECEIVED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PAYMENT_COMPLETED,
    PAYMENT_REQUESTED,
    PUBLIC_EXCHANGE,
    EventType,
)
from dvc_common.relay import AmqpPublisher, OutboxRelay
from dvc_event_log.app import build


@pytest.fixture
async def replicas(event_log_db_url: str, vhost_url: str) -> AsyncIterator[list[Any]]:
    apps = [build(settings_for(event_log_db_url, vhost_url)) for _ in range(2)]
    await truncate(apps[0].state.runtime.engine)
    for app in apps:
        await app.state.runtime.start()
    yield apps
    for app in apps:
        await app.state.runtime.stop()


class Integrator:
    """A queue of the integrator's own, bound to every public event."""

    def __init__(self) -> None:
        self.events: list[BaseCloudEvent] = []

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            wire = RabbitMQMessage(headers={}, content_type=message.content_type, body=message.body)
            self.events.append(from_rabbitmq_event(wire))


async def until(check: Any, within: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        if loop.time() > deadline:
            pytest.fail(f"not reached within {within} s")
        await asyncio.sleep(0.05)


async def test_two_replicas_publish_each_dossier_as_one_gap_free_stream(
    replicas: list[Any], producers: Producers, vhost_url: str
) -> None:
    integrator = Integrator()
    connection = await aio_pika.connect(vhost_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(PUBLIC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue("integrator.broker-test", exclusive=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(integrator.on_message)

        codes = [new_code() for _ in range(2)]
        life: list[tuple[str, EventType[Any]]] = [
            ("intake", DOSSIER_CONTACT_REGISTERED),
            ("intake", DOSSIER_SUBMITTED),
            ("workflow", DOSSIER_STATUS_CHANGED),
            ("workflow", DOSSIER_RECEIVED),
            ("payments", PAYMENT_REQUESTED),
            ("payments", PAYMENT_COMPLETED),
            ("workflow", DOSSIER_STATUS_CHANGED),
        ]
        emitted = [await producers.emit(s, t, example(t, code), code) for s, t in life for code in codes]
        publisher = AmqpPublisher(vhost_url)
        relay = OutboxRelay(producers.engine, publisher, service="producers")
        while await relay.relay_once():
            pass
        await publisher.close()

        public = [e for e in emitted if BY_TYPE[e.type].public]
        await until(lambda: len(integrator.events) >= len(public))

    assert sorted(e.get_id() for e in integrator.events) == sorted(str(e.id) for e in public)
    streams: dict[str, list[str]] = defaultdict(list)
    for event in integrator.events:
        assert event.get_source() == BY_TYPE[event.get_type()].source
        streams[str(event.get_subject())].append(str(event.get_extension("sequence")))
    # Each producer's events keep its order in the stream, whichever replica recorded them.
    position_of = {e.get_id(): int(str(e.get_extension("sequence"))) for e in integrator.events}
    for code in codes:
        for source in ("dvc-intake", "dvc-workflow", "dvc-payments"):
            mine = [position_of[str(e.id)] for e in public if e.subject == code and e.source == source]
            assert mine == sorted(mine), (source, mine)
    for code in codes:
        positions = sorted(streams[code])  # lexicographic, as the CloudEvents extension defines
        assert [int(p) for p in positions] == list(range(1, 7)), positions
        assert all(len(p) == 20 for p in positions)
