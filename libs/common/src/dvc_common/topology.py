"""RabbitMQ topology, declared in code: the exchanges, and per consuming queue its retry and dead-letter queues.

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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue

from dvc_common.events import INTERNAL_EXCHANGE, PUBLIC_EXCHANGE, EventType

DEAD_LETTER_EXCHANGE = "dvc.dlx"
ATTEMPT_HEADER = "x-dvc-attempt"
ERROR_HEADER = "x-dvc-error"
DEAD_LETTERED_AT_HEADER = "x-dvc-dead-lettered-at"


@dataclass(frozen=True)
class QueueSpec:
    """One consuming queue `<service>.<purpose>` and the routing-key patterns it is bound by."""

    name: str
    exchange: str
    bindings: tuple[str, ...]

    @classmethod
    def for_events(cls, name: str, *events: EventType[Any]) -> QueueSpec:
        """A queue bound to exactly these event types (all on one exchange)."""
        exchanges = {event.exchange for event in events}
        if len(exchanges) != 1:
            raise ValueError(f"{name}: events of one exchange only, not {sorted(exchanges)}")
        return cls(name, exchanges.pop(), tuple(event.routing_key for event in events))

    def binds(self, routing_key: str) -> bool:
        """Whether one of the bindings (topic patterns with `*` and `#`) matches `routing_key`."""
        return any(topic_matches(pattern, routing_key) for pattern in self.bindings)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is exactly one word, `#` zero or more."""

    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (p[0] in ("*", k[0])) and match(p[1:], k[1:])

    return match(pattern.split("."), routing_key.split("."))


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
