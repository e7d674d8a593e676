"""Record an event: keep its producer's order, and give a public one its stream position, its place in
the history and its message on dvc.events, all in the consumer's transaction (one commit).

What leaves for integrators (the message and the history row) is the event's public projection
(`dvc_common.events.public`), never the internal payload with its personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock as system_clock
from dvc_common.consumers import EventMeta
from dvc_common.events import PUBLIC_EXCHANGE, EventType, Payload, PublicEvent, project, public_sequence
from dvc_common.outbox import Outbox
from dvc_event_log.domain.order import Arrival, arrival
from dvc_event_log.models import HistoryEvent
from dvc_event_log.repository import EventLogRepository

log = logging.getLogger(__name__)


class EarlierEventMissing(Exception):
    """An earlier event of the same producer and subject is not recorded yet: retry this one later."""


def _utc_now() -> datetime:
    return system_clock.now()


@dataclass(frozen=True)
class Recorder:
    outbox: Outbox
    order_wait: timedelta
    clock: Callable[[], datetime] = _utc_now


async def record(
    session: AsyncSession,
    recorder: Recorder,
    meta: EventMeta,
    event: EventType[Any],
    payload: Payload,
) -> PublicEvent | None:
    """Returns the envelope published on dvc.events, or None for an internal event."""
    now = recorder.clock()
    repo = EventLogRepository(session)
    last = await repo.last_source_sequence(meta.source, meta.subject)
    came = arrival(last, meta.sequence, sent_at=meta.time, now=now, wait=recorder.order_wait)
    if came is Arrival.EARLY:
        raise EarlierEventMissing(
            f"{meta.source} {meta.subject}: waiting for #{last + 1} before #{meta.sequence}"
        )
    if came is not Arrival.NEXT:
        log.warning(
            "producer sequence out of step; recorded anyway",
            extra={"source": meta.source, "subject": meta.subject, "last": last, "sequence": meta.sequence},
        )
    if came is not Arrival.BEHIND:
        await repo.advance_source(meta.source, meta.subject, meta.sequence)
    if not event.public:
        return None  # internal events only move the producer's progress: they never take a public number
    return await _publish(session, repo, recorder.outbox, meta, event, payload, now)


async def _publish(
    session: AsyncSession,
    repo: EventLogRepository,
    outbox: Outbox,
    meta: EventMeta,
    event: EventType[Any],
    payload: Payload,
    now: datetime,
) -> PublicEvent:
    position = await repo.next_position(event.stream, meta.subject)
    envelope = PublicEvent(
        id=meta.id,
        type=meta.type,
        source=meta.source,
        subject=meta.subject,
        time=meta.time,
        data=project(event, payload),
        sequence=public_sequence(position),
        correlationid=meta.correlationid,
        traceparent=meta.traceparent,
    )
    await repo.take_history_order()  # last lock before commit: held as briefly as possible
    await repo.add_history(
        HistoryEvent(
            event_id=meta.id,
            type=meta.type,
            source=meta.source,
            stream=event.stream,
            subject=meta.subject,
            position=position,
            recorded_at=now,
            envelope=envelope.model_dump(mode="json"),
        )
    )
    await outbox.forward(
        session,
        exchange=PUBLIC_EXCHANGE,
        routing_key=event.routing_key,
        event_id=meta.id,
        subject=meta.subject,
        body=envelope.model_dump_json(),
        traceparent=meta.traceparent,
    )
    return envelope
