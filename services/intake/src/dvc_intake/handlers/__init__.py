"""Intake's broker subscribers: each parses nothing itself and calls one use-case."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.blob import BlobStore
from dvc_common.broker import Consumer, QueueSpec
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    INTERNAL_EXCHANGE,
    NATIONAL_DOSSIER_RECEIVED,
    PROCEDURE_PUBLISHED,
    PUBLIC_EXCHANGE,
    CloudEvent,
)
from dvc_common.events.catalog import (
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    PAYMENT_RECEIPT_ISSUED,
)
from dvc_common.outbox import Outbox
from dvc_intake.service.catalog import record_procedure
from dvc_intake.service.national import receive_national_dossier
from dvc_intake.service.receipts import record_receipt
from dvc_intake.service.slips import SlipConfig, produce_slip
from dvc_intake.service.status import record_status

CATALOG_QUEUE = QueueSpec("intake.catalog", PUBLIC_EXCHANGE, (PROCEDURE_PUBLISHED.routing_key,))
STATUS_QUEUE = QueueSpec("intake.dossier-status", PUBLIC_EXCHANGE, (DOSSIER_STATUS_CHANGED.routing_key,))
# Dossiers submitted on the national portal, fetched by sync-national (personal data: internal).
NATIONAL_QUEUE = QueueSpec(
    "intake.national-dossiers", INTERNAL_EXCHANGE, (NATIONAL_DOSSIER_RECEIVED.routing_key,)
)
# Lifecycle milestones that produce slips (Mẫu 01 receipt, 02 supplement request, 03 rejection).
SLIP_QUEUE = QueueSpec(
    "intake.slips",
    PUBLIC_EXCHANGE,
    (DOSSIER_RECEIVED.routing_key, DOSSIER_SUPPLEMENT_REQUESTED.routing_key, DOSSIER_REJECTED.routing_key),
)
# Bank-signed receipts from payments (payer data: internal), for the dossier and the data store.
RECEIPT_QUEUE = QueueSpec("intake.payment-receipts", INTERNAL_EXCHANGE, (PAYMENT_RECEIPT_ISSUED.routing_key,))
QUEUES = (CATALOG_QUEUE, STATUS_QUEUE, NATIONAL_QUEUE, SLIP_QUEUE, RECEIPT_QUEUE)

CONSUMERS = (
    Consumer(CATALOG_QUEUE, record_procedure),
    Consumer(STATUS_QUEUE, record_status),
    Consumer(RECEIPT_QUEUE, record_receipt),
)


def national_consumer(outbox: Outbox, timezone: ZoneInfo) -> Consumer:
    async def on_national(session: AsyncSession, event: CloudEvent) -> None:
        await receive_national_dossier(session, outbox, timezone, event)

    return Consumer(NATIONAL_QUEUE, on_national)


def slip_consumer(blobs: BlobStore, config: SlipConfig) -> Consumer:
    async def on_milestone(session: AsyncSession, event: CloudEvent) -> None:
        await produce_slip(session, blobs, config, event)

    return Consumer(SLIP_QUEUE, on_milestone)
