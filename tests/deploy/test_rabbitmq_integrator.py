"""The integrator's RabbitMQ permissions, on the machine's real broker.

The user is created exactly as deploy/compose/rabbitmq/definitions.json defines `integrator` (its
three permission regexes), in a vhost of this run's own, beside the two exchanges our services
declare. Then, logged in as that user: its own queue bound to dvc.events receives a public event;
binding to dvc.internal, reading a service's queue and publishing are refused by the broker.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused

from dvc_common.events import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id

REPO = Path(__file__).resolve().parents[2]
DEFINITIONS = REPO / "deploy" / "compose" / "rabbitmq" / "definitions.json"
SERVICE_QUEUE = "intake.catalog"


def integrator_grant() -> dict[str, str]:
    permissions = json.loads(DEFINITIONS.read_text(encoding="utf-8"))["permissions"]
    grant: dict[str, str] = next(p for p in permissions if p["user"] == "integrator")
    return grant


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def broker() -> Iterator[tuple[str, str]]:
    """(service URL, integrator URL) on a fresh vhost with the integrator user of the definitions."""
    grant = integrator_grant()
    user, password = f"integrator-{run_id()}", "integrator-test"
    with rabbitmq_vhost("dvc-integrator") as vhost:
        rabbitmqctl("add_user", user, password)
        try:
            rabbitmqctl(
                "set_permissions", "-p", vhost.name, user, grant["configure"], grant["write"], grant["read"]
            )
            yield vhost.url, f"amqp://{user}:{password}@127.0.0.1:5672/{vhost.name}"
        finally:
            subprocess.run(["rabbitmqctl", "-q", "delete_user", user], check=False, capture_output=True)


@pytest.fixture
async def topology(broker: tuple[str, str]) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    """What `dvc migrate` declares: both topic exchanges and a service queue; a channel as a service."""
    connection = await aio_pika.connect(broker[0])
    channel = await connection.channel()
    for name in (PUBLIC_EXCHANGE, INTERNAL_EXCHANGE):
        await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(SERVICE_QUEUE, durable=True)
    await queue.bind(INTERNAL_EXCHANGE, "dossier.#")
    yield channel
    await connection.close()


async def integrator_channel(broker: tuple[str, str]) -> aio_pika.abc.AbstractRobustChannel:
    connection = await aio_pika.connect_robust(broker[1])
    return await connection.channel()


async def test_integrator_receives_public_events_on_its_own_queue(
    broker: tuple[str, str], topology: aio_pika.abc.AbstractChannel
) -> None:
    channel = await integrator_channel(broker)
    try:
        queue = await channel.declare_queue("integrator.so-xay-dung", durable=True)
        await queue.bind(PUBLIC_EXCHANGE, routing_key="dossier.#")
        public = await topology.get_exchange(PUBLIC_EXCHANGE)
        await public.publish(
            aio_pika.Message(b'{"type": "vn.dvc.dossier.received.v1"}'), "dossier.received.v1"
        )
        message = await queue.get(timeout=10, fail=True)
        assert message is not None and b"dossier.received" in message.body
        await message.ack()
    finally:
        await channel.close()


@pytest.mark.parametrize(
    "attempt",
    ["bind to dvc.internal", "read a service queue", "publish to dvc.events", "server-named queue"],
)
async def test_integrator_is_refused_everything_else(
    broker: tuple[str, str], topology: aio_pika.abc.AbstractChannel, attempt: str
) -> None:
    channel = await integrator_channel(broker)
    try:
        with pytest.raises(ChannelAccessRefused):
            if attempt == "bind to dvc.internal":
                queue = await channel.declare_queue("integrator.snooping", durable=True)
                await queue.bind(INTERNAL_EXCHANGE, routing_key="#")
            elif attempt == "read a service queue":
                queue = await channel.declare_queue(SERVICE_QUEUE, passive=True)
                await queue.get(timeout=5, fail=False)
            elif attempt == "publish to dvc.events":
                exchange = await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False)
                await exchange.publish(aio_pika.Message(b"{}"), "dossier.received.v1")
                await channel.declare_queue("integrator.after-publish", passive=True)  # surfaces the close
            else:
                await channel.declare_queue("", exclusive=True)
    finally:
        if not channel.is_closed:
            await channel.close()
