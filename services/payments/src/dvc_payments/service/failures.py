"""What went wrong with a payment: a failed transaction (payment.failed), an amount that does not
match, and the mismatches reconciliation reports once per kind and reference (payment.mismatch)."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import PAYMENT_FAILED, PAYMENT_MISMATCH, PaymentFailed, PaymentMismatch
from dvc_payments.models import Mismatch, PaymentAttempt, PaymentRequest
from dvc_payments.platform import TransactionState
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import Outcome, PaymentsContext, now

log = logging.getLogger(__name__)


async def failed(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    attempt: PaymentAttempt,
    state: TransactionState,
) -> Outcome:
    if attempt.status not in ("initiated", "superseded", "created"):
        return Outcome(
            state.reference, "failed" if attempt.status == "failed" else attempt.status, request.id
        )
    reason = state.error_message or "Giao dịch không thành công"
    attempt.status, attempt.error_code, attempt.updated_at = "failed", "24", now()
    attempt.error_message = reason
    session.add(attempt)
    await _emit_failed(ctx, session, request, attempt, "24", reason)
    return Outcome(state.reference, "failed", request.id)


async def _emit_failed(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    attempt: PaymentAttempt,
    error_code: str,
    reason: str,
) -> None:
    await ctx.outbox.add(
        session,
        PAYMENT_FAILED,
        PaymentFailed(
            payment_id=request.id,
            dossier_code=request.dossier_code,
            agency_id=request.agency_id,
            amount=attempt.amount,
            failed_at=now(),
            error_code=error_code,
            reason=reason,
        ),
        subject=request.dossier_code,
    )


async def amount_mismatch(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    attempt: PaymentAttempt,
    state: TransactionState,
) -> Outcome:
    attempt.status, attempt.settled_amount, attempt.updated_at = "amount_mismatch", state.amount, now()
    attempt.transaction_id, attempt.bank_code = state.transaction_id, state.bank_code
    attempt.error_code = "AMOUNT_MISMATCH"
    attempt.error_message = "Số tiền giao dịch không khớp với số tiền phải nộp"
    session.add(attempt)
    await record_mismatch(ctx, session, "amount_mismatch", attempt, request, state.amount)
    await _emit_failed(
        ctx,
        session,
        request,
        attempt,
        "AMOUNT_MISMATCH",
        f"Số tiền giao dịch ({state.amount} VND) không khớp số tiền phải nộp ({attempt.amount} VND);"
        " khoản đã trừ sẽ được đối soát và hoàn trả.",
    )
    return Outcome(state.reference, "amount_mismatch", request.id)


async def record_mismatch(
    ctx: PaymentsContext,
    session: AsyncSession,
    kind: str,
    attempt: PaymentAttempt | None,
    request: PaymentRequest | None,
    settled: int | None,
    *,
    reference: str | None = None,
    transaction_id: str | None = None,
    settlement_date: str | None = None,
) -> bool:
    ref = reference or (attempt.reference if attempt else "")
    row = Mismatch(
        kind=kind,
        reference=ref,
        payment_id=request.id if request else None,
        transaction_id=transaction_id or (attempt.transaction_id if attempt else None),
        expected_amount=attempt.amount if attempt else None,
        settled_amount=settled,
        settlement_date=settlement_date,
        detected_at=now(),
    )
    if not await PaymentsRepository(session).add_mismatch(row):
        return False
    log.warning("payment mismatch", extra={"kind": kind, "reference": ref})
    await ctx.outbox.add(
        session,
        PAYMENT_MISMATCH,
        PaymentMismatch(
            payment_id=row.payment_id,
            dossier_code=request.dossier_code if request else None,
            agency_id=request.agency_id if request else None,
            reference=ref,
            transaction_id=row.transaction_id,
            kind=kind,
            expected_amount=row.expected_amount,
            settled_amount=settled,
            detected_at=row.detected_at,
            settlement_date=settlement_date,
        ),
        subject=request.dossier_code if request else ref,
    )
    return True
