"""Sync-national's broker subscribers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dvc_common.broker import Consumer, QueueSpec, dispatch
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    INTERNAL_EXCHANGE,
    PROCEDURE_PUBLISHED,
    PUBLIC_EXCHANGE,
    CloudEvent,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national import service
from dvc_sync_national.portal import PortalClient

DOSSIER_EVENTS_QUEUE = QueueSpec(
    "sync-national.dossier-events",
    PUBLIC_EXCHANGE,
    (PROCEDURE_PUBLISHED.routing_key, DOSSIER_SUBMITTED.routing_key, DOSSIER_STATUS_CHANGED.routing_key),
)
CONTACTS_QUEUE = QueueSpec(
    "sync-national.contacts", INTERNAL_EXCHANGE, (DOSSIER_CONTACT_REGISTERED.routing_key,)
)
QUEUES = (DOSSIER_EVENTS_QUEUE, CONTACTS_QUEUE)


def consumers(portal: PortalClient, tz: ZoneInfo) -> tuple[Consumer, ...]:
    async def on_status(session: AsyncSession, event: CloudEvent) -> None:
        await service.push_status(session, portal, tz, event)

    return (
        Consumer(
            DOSSIER_EVENTS_QUEUE,
            dispatch(
                {
                    PROCEDURE_PUBLISHED: service.record_procedure,
                    DOSSIER_SUBMITTED: service.record_submission,
                    DOSSIER_STATUS_CHANGED: on_status,
                }
            ),
        ),
        Consumer(CONTACTS_QUEUE, service.record_contact),
    )
