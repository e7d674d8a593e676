"""Transactional outbox: use-cases add events in their own transaction; the relay (dvc_common.relay)
publishes them. Each subject's events carry a strictly increasing `sequence`, assigned in the same
statement that inserts the row.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from opentelemetry import propagate
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import CloudEvent, EventType, Payload
from dvc_common.settings import ServiceSettings

EVENTS_ADDED = "dvc_outbox_events_added"  # session.info flag: wake the relay after this commit


def partition_of(subject: str, partitions: int) -> int:
    return zlib.crc32(subject.encode()) % partitions


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


@dataclass(frozen=True)
class Outbox:
    """Adds events to the outbox inside the caller's transaction."""

    source: str
    partitions: int = 8

    async def add(
        self,
        session: AsyncSession,
        event_type: EventType[Any],
        payload: Payload,
        *,
        subject: str,
        correlation_id: str | None = None,
    ) -> CloudEvent:
        if not isinstance(payload, event_type.payload):
            raise TypeError(f"{event_type.routing_key} expects {event_type.payload.__name__}")
        traceparent = current_traceparent()
        event = CloudEvent(
            id=uuid.uuid4(),
            type=event_type.ce_type,
            source=self.source,
            subject=subject,
            time=clock.now(),  # the system clock: events follow a training clock too
            data=payload.model_dump(mode="json"),
            sequence=1,  # replaced by the database with the subject's next sequence number
            correlationid=correlation_id or subject,
            traceparent=traceparent,
        )
        # One round trip: take the subject's next sequence number (its row stays locked until commit,
        # which serialises writers of one aggregate) and insert the event carrying it.
        result = await session.execute(
            ADD_EVENT,
            {
                "key": f"{self.source}:{subject}",
                "event_id": event.id,
                "exchange": event_type.exchange,
                "routing_key": event_type.routing_key,
                "subject": subject,
                "partition": partition_of(subject, self.partitions),
                "body": event.model_dump_json(),
                "traceparent": traceparent,
            },
        )
        session.info[EVENTS_ADDED] = True
        return event.model_copy(update={"sequence": int(result.scalar_one())})

    async def forward(
        self,
        session: AsyncSession,
        *,
        exchange: str,
        routing_key: str,
        event_id: uuid.UUID,
        subject: str,
        body: str,
        traceparent: str | None = None,
    ) -> None:
        """Add a message whose envelope the caller built (the event log republishing a public event
        with its own sequence): no sequence is assigned here; the relay publishes it like any other.
        """
        await session.execute(
            FORWARD_MESSAGE,
            {
                "event_id": event_id,
                "exchange": exchange,
                "routing_key": routing_key,
                "subject": subject,
                "partition": partition_of(subject, self.partitions),
                "body": body,
                "traceparent": traceparent,
            },
        )
        session.info[EVENTS_ADDED] = True


# Built once: text() parses its parameters on construction, and this runs for every event.
ADD_EVENT = text(
    "WITH seq AS (INSERT INTO event_sequence (subject, last_value) VALUES (:key, 1)"
    " ON CONFLICT (subject) DO UPDATE SET last_value = event_sequence.last_value + 1"
    " RETURNING last_value)"
    " INSERT INTO outbox_message (event_id, exchange, routing_key, subject, partition, body, traceparent)"
    " SELECT :event_id, :exchange, :routing_key, :subject, :partition,"
    " jsonb_set(CAST(:body AS jsonb), '{sequence}', to_jsonb(seq.last_value)), :traceparent FROM seq"
    " RETURNING (body->>'sequence')::bigint"
)

FORWARD_MESSAGE = text(
    "INSERT INTO outbox_message (event_id, exchange, routing_key, subject, partition, body, traceparent)"
    " VALUES (:event_id, :exchange, :routing_key, :subject, :partition, CAST(:body AS jsonb), :traceparent)"
)


def outbox_for(settings: ServiceSettings) -> Outbox:
    return Outbox(source=f"dvc-{settings.service_name}", partitions=settings.relay_partitions)
