"""Intake's broker subscribers: each receives the payload the platform parsed and calls one use-case."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.blob import BlobStore
from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    AGENCY_UPSERTED,
    DOSSIER_EXTENDED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STOPPED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    NATIONAL_DOSSIER_RECEIVED,
    PAYMENT_RECEIPT_ISSUED,
    PROCEDURE_PUBLISHED,
    AgencyUpserted,
    DossierExtended,
    DossierMilestone,
    DossierReceived,
    DossierStatusChanged,
    NationalDossierReceived,
    PaymentReceiptIssued,
    ProcedurePublished,
)
from dvc_common.outbox import Outbox
from dvc_common.topology import QueueSpec
from dvc_intake.service.catalog import record_agency, record_procedure
from dvc_intake.service.national import receive_national_dossier
from dvc_intake.service.receipts import record_receipt
from dvc_intake.service.slips import (
    SlipConfig,
    decision_milestone,
    extension_milestone,
    issue_slip,
    receipt_milestone,
)
from dvc_intake.service.status import record_status

# The catalog and the agency tree (names and superior bodies for the letterhead of the forms).
CATALOG_QUEUE = QueueSpec.for_events("intake.catalog", PROCEDURE_PUBLISHED, AGENCY_UPSERTED)
STATUS_QUEUE = QueueSpec.for_events("intake.dossier-status", DOSSIER_STATUS_CHANGED)
# Dossiers submitted on the national portal, fetched by sync-national (personal data: internal).
NATIONAL_QUEUE = QueueSpec.for_events("intake.national-dossiers", NATIONAL_DOSSIER_RECEIVED)
# Lifecycle milestones that produce slips (Mẫu 01 receipt, 02 supplement request, 03 rejection,
# 04 apology and new appointment, 05 stop).
SLIP_QUEUE = QueueSpec.for_events(
    "intake.slips",
    DOSSIER_RECEIVED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_REJECTED,
    DOSSIER_EXTENDED,
    DOSSIER_STOPPED,
)
# Bank-signed receipts from payments (payer data: internal), for the dossier and the data store.
RECEIPT_QUEUE = QueueSpec.for_events("intake.payment-receipts", PAYMENT_RECEIPT_ISSUED)
QUEUES = (CATALOG_QUEUE, STATUS_QUEUE, NATIONAL_QUEUE, SLIP_QUEUE, RECEIPT_QUEUE)


async def on_procedure(session: AsyncSession, meta: EventMeta, published: ProcedurePublished) -> None:
    await record_procedure(session, published, published_at=meta.time)


async def on_status(session: AsyncSession, meta: EventMeta, changed: DossierStatusChanged) -> None:
    await record_status(session, changed, sequence=meta.sequence)


async def on_agency(session: AsyncSession, meta: EventMeta, upserted: AgencyUpserted) -> None:
    await record_agency(session, upserted)


def consumers(
    outbox: Outbox, timezone: ZoneInfo, blobs: BlobStore, slips: SlipConfig
) -> tuple[Consumer, ...]:
    async def on_national(session: AsyncSession, meta: EventMeta, national: NationalDossierReceived) -> None:
        await receive_national_dossier(session, outbox, timezone, national)

    async def on_received(session: AsyncSession, meta: EventMeta, received: DossierReceived) -> None:
        await issue_slip(session, blobs, slips, receipt_milestone(received, meta.id))

    async def on_supplement_requested(
        session: AsyncSession, meta: EventMeta, decided: DossierMilestone
    ) -> None:
        await issue_slip(session, blobs, slips, decision_milestone("02", decided, meta.id))

    async def on_rejected(session: AsyncSession, meta: EventMeta, decided: DossierMilestone) -> None:
        await issue_slip(session, blobs, slips, decision_milestone("03", decided, meta.id))

    async def on_extended(session: AsyncSession, meta: EventMeta, extended: DossierExtended) -> None:
        await issue_slip(session, blobs, slips, extension_milestone(extended, meta.id))

    async def on_stopped(session: AsyncSession, meta: EventMeta, decided: DossierMilestone) -> None:
        await issue_slip(session, blobs, slips, decision_milestone("05", decided, meta.id))

    async def on_receipt(session: AsyncSession, meta: EventMeta, issued: PaymentReceiptIssued) -> None:
        await record_receipt(session, blobs, slips, issued, meta.id)

    return (
        Consumer.of(CATALOG_QUEUE, on(PROCEDURE_PUBLISHED, on_procedure), on(AGENCY_UPSERTED, on_agency)),
        Consumer.of(STATUS_QUEUE, on(DOSSIER_STATUS_CHANGED, on_status)),
        Consumer.of(RECEIPT_QUEUE, on(PAYMENT_RECEIPT_ISSUED, on_receipt)),
        Consumer.of(NATIONAL_QUEUE, on(NATIONAL_DOSSIER_RECEIVED, on_national)),
        Consumer.of(
            SLIP_QUEUE,
            on(DOSSIER_RECEIVED, on_received),
            on(DOSSIER_SUPPLEMENT_REQUESTED, on_supplement_requested),
            on(DOSSIER_REJECTED, on_rejected),
            on(DOSSIER_EXTENDED, on_extended),
            on(DOSSIER_STOPPED, on_stopped),
        ),
    )
