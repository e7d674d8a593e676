"""The citizen pays: a new attempt is INITed with the platform, which answers its payment page."""

from __future__ import annotations

from typing import Any

from dvc_common.principal import Principal
from dvc_payments.domain.access import may_read_payment, may_start_payment
from dvc_payments.domain.receipts import receipt_block
from dvc_payments.errors import (
    already_paid,
    cancelled,
    not_found,
    officer_cannot_pay,
    platform_refused,
    unavailable,
)
from dvc_payments.models import PaymentAttempt, PaymentRequest
from dvc_payments.platform import PlatformRefused, PlatformUnavailable
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.confirmation import apply, query
from dvc_payments.service.context import PaymentsContext, now


async def start(ctx: PaymentsContext, payment_id: str, payer: Principal) -> dict[str, Any]:
    """INIT a new attempt and answer the platform's payment URL (or that it is already paid)."""
    open_refs = await _open_references(ctx, payment_id, payer)
    # An earlier attempt may have been paid at the bank without our hearing of it: ask first,
    # so that abandoning and retrying can never pay twice.
    for reference in open_refs:
        outcome = await apply(ctx, await query(ctx, reference))
        if outcome.verdict in ("paid", "already_paid"):
            async with ctx.uow() as session:
                done = await PaymentsRepository(session).request(payment_id)
            assert done is not None
            raise already_paid(done)
    request, attempt = await _new_attempt(ctx, payment_id, payer)
    try:
        pay_url = await ctx.platform.init(_init_message(ctx, request, attempt))
    except (PlatformUnavailable, PlatformRefused) as exc:
        await _mark_attempt(ctx, attempt.reference, "init_failed", error=str(exc))
        if isinstance(exc, PlatformRefused):
            raise platform_refused(exc.code, exc.message) from exc
        raise unavailable() from exc
    async with ctx.uow() as session:
        current = await PaymentsRepository(session).attempt(attempt.reference, lock=True)
        assert current is not None
        if current.status == "created":
            current.status, current.pay_url, current.updated_at = "initiated", pay_url, now()
            session.add(current)
    return {
        "payment_id": payment_id,
        "reference": attempt.reference,
        "pay_url": pay_url,
        "amount": request.amount,
    }


def _ensure_payable(request: PaymentRequest) -> None:
    if request.status == "cancelled":
        raise cancelled(request)
    if request.status != "awaiting":
        raise already_paid(request)


async def _open_references(ctx: PaymentsContext, payment_id: str, payer: Principal) -> list[str]:
    """The attempts still waiting for the platform's word, once the request is known to be payable
    by `payer`: someone who may not read it gets 404, a reader who may not pay it 403."""
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(payment_id)
        dossier = await repo.dossier(request.dossier_code) if request is not None else None
        if request is None or not may_read_payment(payer, request, dossier):
            raise not_found(payment_id)
        if not may_start_payment(payer, request, dossier):
            raise officer_cannot_pay()
        open_refs = [a.reference for a in await repo.attempts(payment_id) if a.status == "initiated"]
    _ensure_payable(request)
    return open_refs


async def _new_attempt(
    ctx: PaymentsContext, payment_id: str, payer: Principal
) -> tuple[PaymentRequest, PaymentAttempt]:
    """A new attempt under the request's lock; earlier open attempts are superseded."""
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(payment_id, lock=True)
        assert request is not None
        _ensure_payable(request)
        attempts = await repo.attempts(payment_id)
        for earlier in attempts:
            if earlier.status == "initiated":
                earlier.status, earlier.updated_at = "superseded", now()
                session.add(earlier)
        seq = max((a.seq for a in attempts), default=0) + 1
        at = now()
        attempt = PaymentAttempt(
            reference=f"{payment_id}-{seq}",
            payment_id=payment_id,
            seq=seq,
            amount=request.amount,
            status="created",
            payer_subject=payer.subject,
            created_at=at,
            updated_at=at,
        )
        session.add(attempt)
    return request, attempt


def _init_message(ctx: PaymentsContext, request: PaymentRequest, attempt: PaymentAttempt) -> dict[str, Any]:
    return ctx.platform.init_message(
        reference=attempt.reference,
        amount=request.amount,
        dossier_code=request.dossier_code,
        receipt_block=receipt_block(
            procedure_code=request.procedure_code,
            agency_id=request.agency_id,
            dossier_code=request.dossier_code,
            account=request.account,
            fee_lines=request.fee_lines,
        ),
        account_number=request.account["account_number"],
        return_url=f"{ctx.public_url}/api/v1/payments/return",
        notify_url=f"{ctx.public_url}/api/v1/payments/callback",
    )


async def _mark_attempt(
    ctx: PaymentsContext, reference: str, status: str, *, error: str | None = None
) -> None:
    async with ctx.uow() as session:
        attempt = await PaymentsRepository(session).attempt(reference, lock=True)
        if attempt is not None and attempt.status == "created":
            attempt.status, attempt.error_message, attempt.updated_at = status, error, now()
            session.add(attempt)
