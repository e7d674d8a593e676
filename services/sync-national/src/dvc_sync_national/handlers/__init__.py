"""Sync-national's broker subscribers: they only record facts and changes (no portal call here)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PROCEDURE_PUBLISHED,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
)
from dvc_common.topology import QueueSpec
from dvc_sync_national.service import tracking

DOSSIER_EVENTS_QUEUE = QueueSpec.for_events(
    "sync-national.dossier-events", PROCEDURE_PUBLISHED, DOSSIER_SUBMITTED, DOSSIER_STATUS_CHANGED
)
CONTACTS_QUEUE = QueueSpec.for_events("sync-national.contacts", DOSSIER_CONTACT_REGISTERED)
QUEUES = (DOSSIER_EVENTS_QUEUE, CONTACTS_QUEUE)


async def procedure_published(session: AsyncSession, meta: EventMeta, published: ProcedurePublished) -> None:
    await tracking.record_procedure(session, published)


async def dossier_submitted(session: AsyncSession, meta: EventMeta, submitted: DossierSubmitted) -> None:
    await tracking.record_submission(session, submitted)


async def status_changed(session: AsyncSession, meta: EventMeta, changed: DossierStatusChanged) -> None:
    await tracking.record_status(session, changed, event_id=meta.id, sequence=meta.sequence)


async def contact_registered(
    session: AsyncSession, meta: EventMeta, contact: DossierContactRegistered
) -> None:
    await tracking.record_contact(session, contact)


def consumers() -> tuple[Consumer, ...]:
    return (
        Consumer.of(
            DOSSIER_EVENTS_QUEUE,
            on(PROCEDURE_PUBLISHED, procedure_published),
            on(DOSSIER_SUBMITTED, dossier_submitted),
            on(DOSSIER_STATUS_CHANGED, status_changed),
        ),
        Consumer.of(CONTACTS_QUEUE, on(DOSSIER_CONTACT_REGISTERED, contact_registered)),
    )
