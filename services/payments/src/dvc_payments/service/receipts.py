"""The bank-signed state-budget receipt (GET_BILL): verified and stored, then the payment is complete."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.events import (
    PAYMENT_COMPLETED,
    PAYMENT_RECEIPT_ISSUED,
    PaymentCompleted,
    PaymentReceiptIssued,
)
from dvc_common.principal import Principal
from dvc_payments.domain import receipts
from dvc_payments.errors import receipt_forbidden, receipt_not_found
from dvc_payments.models import PaymentRequest, Receipt
from dvc_payments.platform import PlatformUnavailable
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import PaymentsContext, now

log = logging.getLogger(__name__)


async def fetch_receipt(ctx: PaymentsContext, payment_id: str) -> bool:
    """Fetch, verify and store the bank-signed receipt; then the payment is complete (Điện Biên 15.2).

    False when the platform cannot give it now (reconciliation tries again).
    """
    async with ctx.uow() as session:
        request = await PaymentsRepository(session).request(payment_id)
    if request is None or request.status != "verified":
        return request is not None and request.status == "paid"
    signed = await _signed_receipt(ctx, request)
    if signed is None:
        return False
    async with ctx.uow() as session:
        request = await PaymentsRepository(session).request(payment_id, lock=True)
        assert request is not None
        if request.status != "verified":
            return request.status == "paid"
        document, signature = signed
        await complete(ctx, session, request, document, signature=signature)
    return True


async def _signed_receipt(ctx: PaymentsContext, request: PaymentRequest) -> tuple[dict[str, Any], str] | None:
    """The receipt and its signature from GET_BILL, if the bank's signature and its content hold."""
    assert request.paid_reference and request.transaction_id
    try:
        document, signature = await ctx.platform.bill(request.paid_reference, request.transaction_id)
        key = await ctx.platform.receipt_key()
    except PlatformUnavailable as exc:
        log.warning("GET_BILL failed", extra={"payment_id": request.id, "error": str(exc)})
        return None
    if not receipts.verify_receipt(document, signature, key) or (
        document.get("MaGiaoDich") != request.transaction_id or document.get("SoTien") != request.amount
    ):
        log.error("receipt signature or content invalid", extra={"payment_id": request.id})
        return None
    return document, signature


async def complete(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    document: dict[str, Any],
    *,
    signature: str,
) -> None:
    """Store the receipt (bank-signed, or the agency's own for a counter payment: no signature); the
    payment is complete (payment.completed, payment.receipt_issued)."""
    digest = receipts.receipt_sha256(document)
    receipt = Receipt(
        payment_id=request.id,
        receipt_number=str(document.get("SoChungTu", "")),
        document=document,
        signature=signature,
        sha256=digest,
        fetched_at=now(),
    )
    await PaymentsRepository(session).save_receipt(receipt)
    request.status, request.updated_at = "paid", now()
    session.add(request)
    assert request.paid_at is not None and request.transaction_id is not None
    await ctx.outbox.add(
        session,
        PAYMENT_COMPLETED,
        PaymentCompleted(
            payment_id=request.id,
            dossier_code=request.dossier_code,
            agency_id=request.agency_id,
            amount=request.amount,
            paid_at=request.paid_at,
            transaction_id=request.transaction_id,
            bank_code=request.bank_code,
            method=request.method or "online",
        ),
        subject=request.dossier_code,
    )
    await ctx.outbox.add(
        session,
        PAYMENT_RECEIPT_ISSUED,
        PaymentReceiptIssued(
            payment_id=request.id,
            dossier_code=request.dossier_code,
            agency_id=request.agency_id,
            payer_subject=request.payer_subject,
            receipt_number=receipt.receipt_number,
            amount=request.amount,
            sha256=digest,
            url=f"/api/v1/payments/{request.id}/receipt",
            issued_at=receipt.fetched_at,
            document=receipt.document,  # intake draws the printable biên lai from it
        ),
        subject=request.dossier_code,
    )


async def readable_receipt(session: AsyncSession, payment_id: str, reader: Principal) -> Receipt:
    """The stored receipt, for whoever may read the dossier's payment (the shared read-access policy:
    the payer, officers of the handling agency, auditors and the provincial office); others 403."""
    repo = PaymentsRepository(session)
    request = await repo.request(payment_id)
    receipt = await repo.receipt(payment_id)
    if request is None or receipt is None:
        raise receipt_not_found()
    allowed = may_read_dossier(reader, DossierFacts(request.agency_id, payer_subject=request.payer_subject))
    if not allowed:
        raise receipt_forbidden()
    return receipt
