"""Inspect and replay dead-letter queues (used by the `dvc` CLI)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import aio_pika

from dvc_common.clock import wall_now
from dvc_common.topology import ATTEMPT_HEADER, DEAD_LETTERED_AT_HEADER, ERROR_HEADER


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    routing_key: str | None
    error: str | None
    dead_lettered_at: str | None
    body: str


def _describe(message: aio_pika.abc.AbstractIncomingMessage) -> DeadLetter:
    headers: dict[str, Any] = dict(message.headers or {})
    return DeadLetter(
        message_id=message.message_id,
        routing_key=message.routing_key,
        error=_text(headers.get(ERROR_HEADER)),
        dead_lettered_at=_text(headers.get(DEAD_LETTERED_AT_HEADER)),
        body=message.body.decode(errors="replace"),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


async def list_dead_letters(amqp_url: str, queue: str, limit: int = 50) -> list[DeadLetter]:
    """Peek at up to `limit` messages; they stay in the queue (requeued when the channel closes)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        dlq = await channel.get_queue(f"{queue}.dlq", ensure=True)
        found: list[DeadLetter] = []
        while len(found) < limit:
            message = await dlq.get(no_ack=False, fail=False)
            if message is None:
                break
            found.append(_describe(message))
        return found


async def replay_dead_letters(amqp_url: str, queue: str, limit: int | None = None) -> int:
    """Move dead letters back into their queue with a fresh attempt count; returns how many.

    Each letter is moved once per replay: a replayed letter that fails again comes back to the
    dead-letter queue, and when the replay meets it again it puts it back and stops (chasing it
    would replay for ever). Counting the queue up front instead would race with letters just put
    back by a `list` (the broker requeues them asynchronously).
    """
    connection = await aio_pika.connect(amqp_url)
    replayed = 0
    seen: set[str] = set()
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        dlq = await channel.declare_queue(f"{queue}.dlq", passive=True)
        while limit is None or replayed < limit:
            message = await dlq.get(no_ack=False, fail=False)
            if message is None:
                break
            key = message.message_id or hashlib.sha256(message.body).hexdigest()
            if key in seen:
                await message.nack(requeue=True)
                break
            seen.add(key)
            headers = dict(message.headers or {})
            headers[ATTEMPT_HEADER] = 1
            headers["x-dvc-replayed-at"] = wall_now().isoformat()
            await channel.default_exchange.publish(
                aio_pika.Message(
                    body=message.body,
                    headers=headers,
                    message_id=message.message_id,
                    content_type=message.content_type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=queue,
            )
            await message.ack()
            replayed += 1
    return replayed


async def count_dead_letters(amqp_url: str, queue: str) -> int:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(f"{queue}.dlq", passive=True)
        return int(declared.declaration_result.message_count or 0)
