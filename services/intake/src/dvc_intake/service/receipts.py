"""Payment receipts (payment.receipt_issued.v1) attached to the dossier, with their printable biên lai."""

from __future__ import annotations

import asyncio
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.blob import BlobStore
from dvc_common.events import PaymentReceiptIssued
from dvc_common.principal import Principal
from dvc_intake.models import PaymentReceipt
from dvc_intake.repository import IntakeRepository
from dvc_intake.service.dossiers import readable_dossier
from dvc_intake.service.slip_forms import SlipConfig, render_payment_receipt
from dvc_intake.service.slips import slip_subject, store_slip


async def record_receipt(
    session: AsyncSession, blobs: BlobStore, config: SlipConfig, issued: PaymentReceiptIssued, event_id: UUID
) -> None:
    """payment.receipt_issued.v1: attach the receipt to the dossier and the payer's data store, with
    the biên lai drawn from the bank-signed document when the event carries it."""
    repo = IntakeRepository(session)
    slip_id = None
    dossier = await repo.dossier(issued.dossier_code)
    if issued.document is not None and dossier is not None:
        subject = await slip_subject(repo, dossier)
        pdf = await asyncio.to_thread(render_payment_receipt, issued, subject, config)
        slip_id = await store_slip(repo, blobs, dossier.code, "BL", str(event_id), pdf)
    await repo.save_receipt(
        PaymentReceipt(
            payment_id=issued.payment_id,
            dossier_code=issued.dossier_code,
            payer_subject=issued.payer_subject,
            receipt_number=issued.receipt_number,
            amount=issued.amount,
            sha256=issued.sha256,
            url=issued.url,
            issued_at=issued.issued_at,
            slip_id=slip_id,
        )
    )


async def readable_receipts(session: AsyncSession, principal: Principal, code: str) -> list[PaymentReceipt]:
    """The receipts of a dossier, for those who may read the dossier (same 404 for anyone else)."""
    repo = IntakeRepository(session)
    await readable_dossier(repo, principal, code)
    return await repo.receipts_of_dossier(code)
