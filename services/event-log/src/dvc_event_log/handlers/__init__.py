"""The event log's one subscriber: every event of the catalog, from dvc.internal, recorded in order.

Internal events only advance their producer's progress (so a later public event knows nothing of
its producer is missing); public ones are numbered, kept and republished on dvc.events.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, Route, on
from dvc_common.events import CATALOG, EventType, Payload
from dvc_common.topology import QueueSpec
from dvc_event_log.service.recording import Recorder, record

EVENTS_QUEUE = QueueSpec.for_events("event-log.events", *CATALOG)
QUEUES = (EVENTS_QUEUE,)


def consumers(recorder: Recorder) -> tuple[Consumer, ...]:
    def route(event: EventType[Any]) -> Route[Any]:
        async def recorded(session: AsyncSession, meta: EventMeta, payload: Payload) -> None:
            await record(session, recorder, meta, event, payload)

        return on(event, recorded)

    return (Consumer.of(EVENTS_QUEUE, *(route(event) for event in CATALOG)),)
