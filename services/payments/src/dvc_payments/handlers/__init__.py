"""Payments' broker subscribers (thin): the catalog's fees, the agency tree; a dossier that must pay gets a payment request."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    AGENCY_UPSERTED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PROCEDURE_PUBLISHED,
    AgencyUpserted,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
)
from dvc_common.topology import QueueSpec
from dvc_payments.service import Payments

DOSSIER_QUEUE = QueueSpec.for_events(
    "payments.dossier-events", PROCEDURE_PUBLISHED, AGENCY_UPSERTED, DOSSIER_SUBMITTED, DOSSIER_STATUS_CHANGED
)
QUEUES = (DOSSIER_QUEUE,)


def consumers(payments: Payments) -> tuple[Consumer, ...]:
    async def procedure_published(
        session: AsyncSession, meta: EventMeta, published: ProcedurePublished
    ) -> None:
        await payments.adopt_catalog_fees(session, published)

    async def agency_upserted(session: AsyncSession, meta: EventMeta, agency: AgencyUpserted) -> None:
        await payments.record_agency(session, agency)

    async def dossier_submitted(session: AsyncSession, meta: EventMeta, submitted: DossierSubmitted) -> None:
        await payments.record_submission(session, submitted)

    async def status_changed(session: AsyncSession, meta: EventMeta, changed: DossierStatusChanged) -> None:
        await payments.follow_status(session, changed)

    return (
        Consumer.of(
            DOSSIER_QUEUE,
            on(PROCEDURE_PUBLISHED, procedure_published),
            on(AGENCY_UPSERTED, agency_upserted),
            on(DOSSIER_SUBMITTED, dossier_submitted),
            on(DOSSIER_STATUS_CHANGED, status_changed),
        ),
    )
