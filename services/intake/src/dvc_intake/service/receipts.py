"""Payment receipts (payment.receipt_issued.v1) attached to the dossier."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import PaymentReceiptIssued
from dvc_common.principal import Principal
from dvc_intake.models import PaymentReceipt
from dvc_intake.repository import IntakeRepository
from dvc_intake.service.dossiers import readable_dossier


async def record_receipt(session: AsyncSession, issued: PaymentReceiptIssued) -> None:
    """payment.receipt_issued.v1: attach the receipt to the dossier and the payer's data store."""
    await IntakeRepository(session).save_receipt(
        PaymentReceipt(
            payment_id=issued.payment_id,
            dossier_code=issued.dossier_code,
            payer_subject=issued.payer_subject,
            receipt_number=issued.receipt_number,
            amount=issued.amount,
            sha256=issued.sha256,
            url=issued.url,
            issued_at=issued.issued_at,
        )
    )


async def readable_receipts(session: AsyncSession, principal: Principal, code: str) -> list[PaymentReceipt]:
    """The receipts of a dossier, for those who may read the dossier (same 404 for anyone else)."""
    repo = IntakeRepository(session)
    await readable_dossier(repo, principal, code)
    return await repo.receipts_of_dossier(code)
