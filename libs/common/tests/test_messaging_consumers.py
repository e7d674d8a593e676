"""Consumers against a real PostgreSQL database and RabbitMQ vhost: idempotency, retries, dead letters.

Each test runs a `ServiceRuntime` with one consumer on its own queue; the handler's effect is a row
in `consumer_effect` (no unique key, so a double effect would show as two rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import deadletters
from dvc_common.consumers import Consumer, EventMeta, PermanentFailure, on
from dvc_common.events import DOSSIER_SUBMITTED, CloudEvent, DossierSubmitted
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings
from dvc_common.topology import QueueSpec

MAX_ATTEMPTS = 3
RETRY_BASE_MS = 50


class ConsumerTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_CONSUMER_TEST_", extra="ignore")


async def eventually(check: Callable[[], object], *, within: float = 10.0) -> None:
    """Until `check()` (or the awaitable it returns) is truthy, e.g. a count above zero."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        outcome = check()
        if isinstance(outcome, Awaitable):
            outcome = await outcome
        if outcome:
            return
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {within} s")
        await asyncio.sleep(0.02)


@pytest.fixture
async def effects(platform_engine: AsyncEngine) -> AsyncEngine:
    async with platform_engine.begin() as conn:
        await conn.execute(
            text("CREATE TABLE IF NOT EXISTS consumer_effect (queue text NOT NULL, event_id uuid NOT NULL)")
        )
        await conn.execute(text("TRUNCATE consumer_effect"))
    return platform_engine


async def effect_count(engine: AsyncEngine, queue: str) -> int:
    async with engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    text("SELECT count(*) FROM consumer_effect WHERE queue = :q"), {"q": queue}
                )
            ).scalar_one()
        )


@dataclass
class FlakyHandler:
    """Records its effect, then fails `failures` times (or for ever while `broken`), else commits."""

    queue: str
    failures: int = 0
    broken: bool = False
    error: type[Exception] = RuntimeError
    calls: list[float] = field(default_factory=list)

    async def __call__(self, session: AsyncSession, meta: EventMeta, submitted: DossierSubmitted) -> None:
        self.calls.append(time.monotonic())
        await session.execute(
            text("INSERT INTO consumer_effect (queue, event_id) VALUES (:q, :e)"),
            {"q": self.queue, "e": meta.id},
        )
        if self.broken or len(self.calls) <= self.failures:
            raise self.error(f"national portal unavailable (call {len(self.calls)})")


@contextlib.asynccontextmanager
async def running_consumer(
    db_url: str, amqp_url: str, handler: FlakyHandler
) -> AsyncIterator[ServiceRuntime]:
    settings = ConsumerTestSettings(
        service_name="consumer-test",
        database_url=SecretStr(db_url),
        amqp_url=SecretStr(amqp_url),
        log_json=False,
        log_level="ERROR",
        consumer_max_attempts=MAX_ATTEMPTS,
        consumer_retry_base_ms=RETRY_BASE_MS,
    )
    # The tests send straight to the queue (default exchange); its binding is the route's key.
    spec = QueueSpec.for_events(handler.queue, DOSSIER_SUBMITTED)
    runtime = ServiceRuntime(settings, [Consumer.of(spec, on(DOSSIER_SUBMITTED, handler))])
    await runtime.start(relay=False)
    try:
        yield runtime
    finally:
        await runtime.stop()


def new_queue() -> str:
    return f"consumer-test.q-{uuid.uuid4().hex[:8]}"


def submitted_event() -> CloudEvent:
    payload = DOSSIER_SUBMITTED.example
    return CloudEvent(
        id=uuid.uuid4(),
        type=DOSSIER_SUBMITTED.ce_type,
        source="dvc-intake",
        subject=payload.code,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=payload.code,
    )


async def send(channel: aio_pika.abc.AbstractChannel, queue: str, body: bytes, message_id: str) -> None:
    await channel.default_exchange.publish(
        aio_pika.Message(body, message_id=message_id, content_type="application/cloudevents+json"),
        routing_key=queue,
    )


async def ready_messages(channel: aio_pika.abc.AbstractChannel, queue: str) -> int:
    declared = await channel.declare_queue(queue, passive=True)
    return int(declared.declaration_result.message_count or 0)


async def assert_queues_drained(channel: aio_pika.abc.AbstractChannel, queue: str) -> None:
    """Called after the runtime stopped, so an unacknowledged message would be back in `ready`."""
    for name in (queue, f"{queue}.retry", f"{queue}.dlq"):
        assert await ready_messages(channel, name) == 0, f"{name} is not empty"


async def test_same_event_twice_has_one_effect_and_both_are_acknowledged(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    handler = FlakyHandler(new_queue())
    event = submitted_event()
    async with running_consumer(platform_db_url, vhost_url, handler):
        await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))
        await eventually(lambda: effect_count(effects, handler.queue))
        await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))
        async with effects.connect() as conn:

            async def inbox_seen() -> bool:
                seen = await conn.execute(
                    text("SELECT count(*) FROM inbox_message WHERE consumer = :c AND event_id = :e"),
                    {"c": handler.queue, "e": event.id},
                )
                return int(seen.scalar_one()) == 1

            await eventually(inbox_seen)
        await asyncio.sleep(0.3)  # the redelivery has had time to be handled
    assert await effect_count(effects, handler.queue) == 1
    assert len(handler.calls) == 1, "the redelivery never reaches the use-case"
    await assert_queues_drained(amqp_channel, handler.queue)


async def test_handler_failing_twice_is_retried_with_backoff_and_takes_effect_once(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    handler = FlakyHandler(new_queue(), failures=2)
    event = submitted_event()
    async with running_consumer(platform_db_url, vhost_url, handler):
        await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))
        await eventually(lambda: effect_count(effects, handler.queue))
        await asyncio.sleep(0.3)
    assert len(handler.calls) == 3
    assert await effect_count(effects, handler.queue) == 1, "the failed attempts' writes were rolled back"
    first_wait, second_wait = (b - a for a, b in zip(handler.calls, handler.calls[1:], strict=False))
    assert first_wait >= RETRY_BASE_MS / 1000 * 0.9
    assert second_wait >= 2 * RETRY_BASE_MS / 1000 * 0.9, "the delay doubles"
    assert second_wait < 5, "but stays within the policy"
    await assert_queues_drained(amqp_channel, handler.queue)


async def test_poison_event_is_dead_lettered_after_max_attempts_and_replayed_by_the_cli_once_fixed(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    handler = FlakyHandler(new_queue(), broken=True)
    event = submitted_event()
    async with running_consumer(platform_db_url, vhost_url, handler):
        await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))

        async def dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, handler.queue) == 1

        await eventually(dead_lettered)
        await asyncio.sleep(0.5)
        assert len(handler.calls) == MAX_ATTEMPTS, "no more attempts once dead-lettered: it never loops"
        assert await effect_count(effects, handler.queue) == 0

        [letter] = await deadletters.list_dead_letters(vhost_url, handler.queue)
        assert letter.message_id == str(event.id)
        assert letter.error == f"RuntimeError: national portal unavailable (call {MAX_ATTEMPTS})"
        assert letter.dead_lettered_at is not None
        assert CloudEvent.model_validate_json(letter.body) == event
        assert await deadletters.count_dead_letters(vhost_url, handler.queue) == 1, "listing leaves it there"

        handler.broken = False  # the operator fixed the cause
        process = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("dvc")),
            "dlq",
            "replay",
            handler.queue,
            env={**os.environ, "DVC_AMQP_URL": vhost_url},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, stderr.decode()
        assert f"{handler.queue}: replayed 1 message(s)" in stdout.decode()

        await eventually(lambda: effect_count(effects, handler.queue))
        await asyncio.sleep(0.2)
    assert await effect_count(effects, handler.queue) == 1
    assert len(handler.calls) == MAX_ATTEMPTS + 1, (
        "the replay gets a fresh attempt count and succeeds at once"
    )
    await assert_queues_drained(amqp_channel, handler.queue)


async def test_message_that_is_not_a_cloudevent_is_dead_lettered_at_once(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    handler = FlakyHandler(new_queue())
    async with running_consumer(platform_db_url, vhost_url, handler):
        await send(amqp_channel, handler.queue, b"<hoSo>not a cloud event</hoSo>", "garbage-1")

        async def dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, handler.queue) == 1

        await eventually(dead_lettered)
        await asyncio.sleep(0.2)
    assert handler.calls == []
    [letter] = await deadletters.list_dead_letters(vhost_url, handler.queue)
    assert letter.message_id == "garbage-1"
    assert letter.body == "<hoSo>not a cloud event</hoSo>"
    assert letter.error is not None and letter.error.startswith("not a valid CloudEvent")
    assert await ready_messages(amqp_channel, handler.queue) == 0
    assert await ready_messages(amqp_channel, f"{handler.queue}.retry") == 0


async def test_permanent_failure_is_dead_lettered_without_retries_and_replay_delivers_it_again(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    handler = FlakyHandler(new_queue(), broken=True, error=PermanentFailure)
    event = submitted_event()
    async with running_consumer(platform_db_url, vhost_url, handler):
        await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))

        async def dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, handler.queue) == 1

        await eventually(dead_lettered)
        await asyncio.sleep(0.3)
        assert len(handler.calls) == 1, "a permanent failure is not retried"
        [letter] = await deadletters.list_dead_letters(vhost_url, handler.queue)
        assert letter.error == "PermanentFailure: national portal unavailable (call 1)"

        handler.broken = False
        assert await deadletters.replay_dead_letters(vhost_url, handler.queue) == 1
        await eventually(lambda: effect_count(effects, handler.queue))
        await asyncio.sleep(0.2)
    assert len(handler.calls) == 2
    assert await effect_count(effects, handler.queue) == 1
    await assert_queues_drained(amqp_channel, handler.queue)


async def test_replaying_while_the_cause_persists_moves_each_dead_letter_once_and_returns(
    effects: AsyncEngine, platform_db_url: str, vhost_url: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> None:
    """A replay must not chase the letters it just replayed as they fail and come back."""
    handler = FlakyHandler(new_queue(), broken=True, error=PermanentFailure)
    events = [submitted_event() for _ in range(40)]
    async with running_consumer(platform_db_url, vhost_url, handler):
        for event in events:
            await send(amqp_channel, handler.queue, event.model_dump_json().encode(), str(event.id))

        async def all_dead_lettered() -> bool:
            return await deadletters.count_dead_letters(vhost_url, handler.queue) == len(events)

        await eventually(all_dead_lettered)
        replayed = await asyncio.wait_for(
            deadletters.replay_dead_letters(vhost_url, handler.queue), timeout=10
        )
        assert replayed == len(events)
        await eventually(all_dead_lettered)
        await asyncio.sleep(0.2)
    assert len(handler.calls) == 2 * len(events)
    assert await effect_count(effects, handler.queue) == 0
