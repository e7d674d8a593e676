"""Payment requests from dossier events: a fee to pay when the dossier is submitted (upfront) or
reaches its financial obligation; cancelled when the dossier is withdrawn or stopped."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import PermanentFailure
from dvc_common.events import (
    PAYMENT_REQUESTED,
    DossierStatusChanged,
    DossierSubmitted,
    FeeLine,
    NationalStatus,
    PaymentRequested,
)
from dvc_common.principal import Principal
from dvc_payments.domain import fees
from dvc_payments.domain.access import may_read_payment
from dvc_payments.errors import not_found
from dvc_payments.models import Dossier, PaymentAttempt, PaymentRequest
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import PaymentsContext, new_payment_id, now

# A withdrawn or stopped dossier owes nothing more.
CANCELLING_STATUSES = (NationalStatus.WITHDRAWN, NationalStatus.STOPPED)


async def record_submission(ctx: PaymentsContext, session: AsyncSession, data: DossierSubmitted) -> None:
    """Keep what payments needs of the dossier; a procedure charged upfront gets its request now."""
    repo = PaymentsRepository(session)
    await repo.save_dossier(
        Dossier(
            code=data.code,
            procedure_code=data.procedure_code,
            agency_id=data.agency_id,
            channel=data.channel,
            submitted_at=data.submitted_at,
            owner_subject=data.owner_subject,
        )
    )
    schedule = await repo.fee_schedule(data.procedure_code, data.agency_id)
    if schedule is not None and schedule.upfront:
        await create_request(ctx, session, data.code, data.procedure_code, data.agency_id, "upfront")


async def follow_status(ctx: PaymentsContext, session: AsyncSession, data: DossierStatusChanged) -> None:
    """The financial obligation (status 6) asks for the fees; withdrawal or stop cancels them."""
    if data.national_status in CANCELLING_STATUSES:
        await _cancel_requests(session, data.code)
        return
    if data.national_status is not NationalStatus.FINANCIAL_OBLIGATION:
        return
    await create_request(ctx, session, data.code, data.procedure_code, data.agency_id, "obligation")


async def _cancel_requests(session: AsyncSession, dossier_code: str) -> None:
    """A withdrawn or stopped dossier owes nothing more: its unpaid requests are cancelled."""
    repo = PaymentsRepository(session)
    for request in await repo.requests_of_dossier(dossier_code):
        locked = await repo.request(request.id, lock=True)
        if locked is not None and locked.status == "awaiting":
            locked.status, locked.updated_at = "cancelled", now()
            session.add(locked)


async def create_request(
    ctx: PaymentsContext,
    session: AsyncSession,
    dossier_code: str,
    procedure_code: str,
    agency_id: str,
    stage: str,
) -> PaymentRequest | None:
    """The dossier's payment request for `stage` (upfront | obligation), from the schedule and account
    in force, announced as payment.requested; None when nothing is owed or it exists already."""
    repo = PaymentsRepository(session)
    schedule = await repo.fee_schedule(procedure_code, agency_id)
    account = await repo.account(agency_id)
    if schedule is None or account is None:
        # The dossier would wait for ever: dead-letter it where operators see it; once the
        # agency configures fees and account, `dvc dlq replay payments.dossier-events`.
        missing = "fee schedule" if schedule is None else "beneficiary account"
        raise PermanentFailure(f"no {missing} for {procedure_code} at {agency_id} ({dossier_code})")
    dossier = await repo.dossier(dossier_code)
    schedule_lines = [fees.Fee(f["kind"], f["name"], int(f["amount"])) for f in schedule.fees]
    lines = fees.fee_lines(
        schedule_lines, schedule.postal_fee, by_post=dossier is not None and dossier.channel == 3
    )
    amount = fees.total(lines)
    if amount <= 0:
        return None
    at = now()
    request = PaymentRequest(
        id=new_payment_id(at, ctx.tz),
        dossier_code=dossier_code,
        stage=stage,
        procedure_code=procedure_code,
        agency_id=agency_id,
        amount=amount,
        fee_lines=[{"kind": f.kind, "name": f.name, "amount": f.amount} for f in lines],
        schedule_version=schedule.version,
        account={
            "version": account.version,
            "account_number": account.account_number,
            "account_name": account.account_name,
            "bank_code": account.bank_code,
            "bank_name": account.bank_name,
        },
        status="awaiting",
        created_at=at,
        updated_at=at,
    )
    if not await repo.insert_request(request):
        return None  # this dossier already has its request for this stage
    await ctx.outbox.add(
        session,
        PAYMENT_REQUESTED,
        PaymentRequested(
            payment_id=request.id,
            dossier_code=dossier_code,
            agency_id=agency_id,
            procedure_code=procedure_code,
            amount=amount,
            fee_lines=[FeeLine(kind=f.kind, name=f.name, amount=f.amount) for f in lines],
            requested_at=at,
        ),
        subject=dossier_code,
    )
    return request


async def payments_of_dossier(
    session: AsyncSession, dossier_code: str, principal: Principal
) -> list[PaymentRequest]:
    """The dossier's requests, if the principal may read them (else none: no existence oracle)."""
    repo = PaymentsRepository(session)
    dossier = await repo.dossier(dossier_code)
    found = await repo.requests_of_dossier(dossier_code)
    return [r for r in found if may_read_payment(principal, r, dossier)]


async def payment_with_attempts(
    session: AsyncSession, payment_id: str, principal: Principal
) -> tuple[PaymentRequest, list[PaymentAttempt]]:
    repo = PaymentsRepository(session)
    request = await repo.request(payment_id)
    if request is None or not may_read_payment(principal, request, await repo.dossier(request.dossier_code)):
        raise not_found(payment_id)
    return request, await repo.attempts(payment_id)
