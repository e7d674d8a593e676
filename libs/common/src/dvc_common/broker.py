# Transitional re-export: removed once every service imports the new path.
"""RabbitMQ topology and consumers (split into dvc_common.topology and dvc_common.consumers; the
relay's publisher is in dvc_common.relay)."""

from dvc_common.consumers import (
    Consumer,
    EventMeta,
    Handler,
    PermanentFailure,
    RetryPolicy,
    Route,
    Transaction,
    TypedHandler,
    UnexpectedEvent,
    dispatch,
    on,
    subscribe,
)
from dvc_common.relay import AmqpPublisher, PublishNotConfirmed
from dvc_common.topology import (
    ATTEMPT_HEADER,
    DEAD_LETTER_EXCHANGE,
    DELIVERY_LIMIT,
    DLX,
    ERROR_HEADER,
    EXCHANGES,
    QueueSpec,
    dead_letter_queue,
    declare_topology,
    main_queue,
    retry_queue,
    topic_exchange,
)

__all__ = [
    "ATTEMPT_HEADER",
    "DEAD_LETTER_EXCHANGE",
    "DELIVERY_LIMIT",
    "DLX",
    "ERROR_HEADER",
    "EXCHANGES",
    "AmqpPublisher",
    "Consumer",
    "EventMeta",
    "Handler",
    "PermanentFailure",
    "PublishNotConfirmed",
    "QueueSpec",
    "RetryPolicy",
    "Route",
    "Transaction",
    "TypedHandler",
    "UnexpectedEvent",
    "dead_letter_queue",
    "declare_topology",
    "dispatch",
    "main_queue",
    "on",
    "retry_queue",
    "subscribe",
    "topic_exchange",
]
