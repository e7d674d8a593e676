"""The platform's callback and the confirmation of an attempt: nothing is trusted before a
server-side QUERY; what the platform then says is recorded once, under a row lock."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_payments.domain import checksum
from dvc_payments.domain.access import may_read_payment
from dvc_payments.errors import bad_checksum, not_found, unavailable, unknown_reference
from dvc_payments.models import PaymentAttempt, PaymentRequest
from dvc_payments.platform import PlatformUnavailable, TransactionState
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import Outcome, PaymentsContext, now
from dvc_payments.service.failures import amount_mismatch, failed, record_mismatch
from dvc_payments.service.receipts import fetch_receipt

log = logging.getLogger(__name__)

PAID, FAILED = "00", "02"  # TrangThai; "01" (pending) and anything else change nothing


async def callback(ctx: PaymentsContext, body: dict[str, Any]) -> Outcome:
    """The platform's callback: checksum, then a server-side QUERY before anything is trusted."""
    reference = body.get("MaThamChieu") if isinstance(body.get("MaThamChieu"), str) else None
    if (
        not checksum.verify("CALLBACK", body, ctx.platform.config.secret_key)
        or body.get("MaDoiTac") != ctx.platform.config.partner_code
    ):
        await _log(ctx, reference, "bad_checksum", body)
        raise bad_checksum()
    async with ctx.uow() as session:
        attempt = await PaymentsRepository(session).attempt(reference or "")
    if attempt is None:
        await _log(ctx, reference, "unknown_reference", body)
        raise unknown_reference(reference)
    try:
        state = await query(ctx, attempt.reference)
    except Problem:
        await _log(ctx, reference, "unverified", body)
        raise
    outcome = await apply(ctx, state)
    await _log(ctx, reference, outcome.verdict, body)
    return outcome


async def _log(ctx: PaymentsContext, reference: str | None, verdict: str, body: dict[str, Any]) -> None:
    async with ctx.uow() as session:
        await PaymentsRepository(session).log_callback(reference, verdict, body)


async def query(ctx: PaymentsContext, reference: str) -> TransactionState:
    try:
        return await ctx.platform.query(reference)
    except PlatformUnavailable as exc:
        log.warning("payment platform QUERY failed", extra={"reference": reference, "error": str(exc)})
        raise unavailable() from exc


async def confirm(ctx: PaymentsContext, reference: str) -> Outcome:
    """Ask the platform about one attempt and record what it says (reconciliation, return page)."""
    return await apply(ctx, await query(ctx, reference))


async def apply(ctx: PaymentsContext, state: TransactionState) -> Outcome:
    """Record a verified platform state for an attempt; idempotent under a row lock."""
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        attempt = await repo.attempt(state.reference, lock=True)
        if attempt is None:
            return Outcome(state.reference, "not_found")
        request = await repo.request(attempt.payment_id, lock=True)
        assert request is not None
        unpaid = await _record_unless_paid(ctx, session, request, attempt, state)
        if unpaid is not None:
            return unpaid
        outcome = await _record_paid(ctx, session, request, attempt, state)
    if outcome.verdict == "paid":
        await fetch_receipt(ctx, request.id)
    return outcome


async def _record_unless_paid(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    attempt: PaymentAttempt,
    state: TransactionState,
) -> Outcome | None:
    """The outcome of any state but a first full payment of the attempt (None then)."""
    if state.found and state.status == FAILED:
        return await failed(ctx, session, request, attempt, state)
    if not state.found or state.status != PAID:
        return Outcome(state.reference, "pending", request.id)
    if attempt.status in ("paid", "duplicate", "amount_mismatch"):
        verdict = "already_paid" if attempt.status == "paid" else attempt.status
        return Outcome(state.reference, verdict, request.id)
    if state.amount != attempt.amount or state.currency != "VND":
        return await amount_mismatch(ctx, session, request, attempt, state)
    return None


async def _record_paid(
    ctx: PaymentsContext,
    session: AsyncSession,
    request: PaymentRequest,
    attempt: PaymentAttempt,
    state: TransactionState,
) -> Outcome:
    """The platform has the attempt paid in full: the request is verified (its receipt comes next),
    unless it was paid or cancelled already, and then this payment is reported for a refund."""
    attempt.status, attempt.transaction_id, attempt.bank_code = "paid", state.transaction_id, state.bank_code
    attempt.settled_amount, attempt.paid_at, attempt.updated_at = state.amount, now(), now()
    if request.status != "awaiting":
        # Paid twice (two attempts both paid at the bank), or paid for a dossier withdrawn in the
        # meantime: keep at most one payment, report the other for a refund.
        attempt.status = "duplicate"
        session.add(attempt)
        kind = "paid_after_cancellation" if request.status == "cancelled" else "duplicate_payment"
        await record_mismatch(ctx, session, kind, attempt, request, state.amount)
        return Outcome(state.reference, "duplicate", request.id)
    session.add(attempt)
    request.status, request.transaction_id, request.bank_code = (
        "verified",
        state.transaction_id,
        state.bank_code,
    )
    request.paid_reference, request.payer_subject = attempt.reference, attempt.payer_subject
    request.paid_at, request.updated_at = attempt.paid_at, now()
    session.add(request)
    return Outcome(state.reference, "paid", request.id)


async def return_from_platform(
    ctx: PaymentsContext, reference: str, principal: Principal | None
) -> tuple[Outcome, PaymentRequest | None]:
    """The citizen's browser is back: its parameters are never trusted, we QUERY the platform.

    Anyone holding the reference learns the verdict; the payment itself only someone who may read
    it (the payer, the dossier's owner, the handling agency): a reference is no credential."""
    outcome = await confirm(ctx, reference)
    if outcome.payment_id is None:
        raise not_found(reference)
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(outcome.payment_id)
        assert request is not None
        dossier = await repo.dossier(request.dossier_code)
    if principal is None or not may_read_payment(principal, request, dossier):
        return outcome, None
    return outcome, request
