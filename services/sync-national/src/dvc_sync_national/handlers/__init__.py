"""Sync-national's broker subscribers: they only record facts and changes (no portal call here)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_RESUBMITTED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PAYMENT_COMPLETED,
    PAYMENT_REQUESTED,
    PROCEDURE_PUBLISHED,
    DossierContactRegistered,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
    PaymentCompleted,
    PaymentRequested,
    ProcedurePublished,
)
from dvc_common.events.dossier import DOSSIER_STEP_CHANGED, DossierStepChanged
from dvc_common.topology import QueueSpec
from dvc_sync_national.service import tracking

DOSSIER_EVENTS_QUEUE = QueueSpec.for_events(
    "sync-national.dossier-events",
    PROCEDURE_PUBLISHED,
    DOSSIER_SUBMITTED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STEP_CHANGED,
    DOSSIER_RESUBMITTED,
    PAYMENT_REQUESTED,
    PAYMENT_COMPLETED,
)
CONTACTS_QUEUE = QueueSpec.for_events("sync-national.contacts", DOSSIER_CONTACT_REGISTERED)
QUEUES = (DOSSIER_EVENTS_QUEUE, CONTACTS_QUEUE)


async def procedure_published(session: AsyncSession, meta: EventMeta, published: ProcedurePublished) -> None:
    await tracking.record_procedure(session, published)


async def dossier_submitted(session: AsyncSession, meta: EventMeta, submitted: DossierSubmitted) -> None:
    await tracking.record_submission(session, submitted)


async def status_changed(session: AsyncSession, meta: EventMeta, changed: DossierStatusChanged) -> None:
    await tracking.record_status(session, changed, event_id=meta.id, sequence=meta.sequence)


async def step_changed(session: AsyncSession, meta: EventMeta, changed: DossierStepChanged) -> None:
    await tracking.record_step(session, changed, event_id=meta.id, sequence=meta.sequence)


async def resubmitted(session: AsyncSession, meta: EventMeta, supplement: DossierResubmitted) -> None:
    await tracking.record_supplement(session, supplement)


async def payment_requested(session: AsyncSession, meta: EventMeta, requested: PaymentRequested) -> None:
    await tracking.record_fees_requested(session, requested)


async def payment_completed(session: AsyncSession, meta: EventMeta, completed: PaymentCompleted) -> None:
    await tracking.record_fees_paid(session, completed)


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
            on(DOSSIER_STEP_CHANGED, step_changed),
            on(DOSSIER_RESUBMITTED, resubmitted),
            on(PAYMENT_REQUESTED, payment_requested),
            on(PAYMENT_COMPLETED, payment_completed),
        ),
        Consumer.of(CONTACTS_QUEUE, on(DOSSIER_CONTACT_REGISTERED, contact_registered)),
    )
