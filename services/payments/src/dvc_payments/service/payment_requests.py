"""Payment requests from dossier events: a fee to pay when the dossier is submitted (upfront) or
reaches its financial obligation; cancelled when the dossier is withdrawn or stopped."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

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
from dvc_payments.models import (
    BeneficiaryAccount,
    Dossier,
    FeeSchedule,
    PaymentAttempt,
    PaymentRequest,
    WaitingObligation,
)
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import PaymentsContext, new_payment_id, now

log = logging.getLogger(__name__)

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
            result_delivery=data.result_delivery,
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


async def beneficiary_agency(session: AsyncSession, procedure_code: str, agency_id: str) -> str:
    """The agency whose beneficiary account receives the fees the performing agency charges (the
    catalog's choice; by default the performing agency itself)."""
    performing = await PaymentsRepository(session).procedure_agency(procedure_code, agency_id)
    return performing.beneficiary_agency_id if performing is not None else agency_id


async def resume_waiting(
    ctx: PaymentsContext,
    session: AsyncSession,
    *,
    agency_id: str | None = None,
    procedure_code: str | None = None,
) -> int:
    """Obligations that waited for this configuration get their payment request now (those still
    missing something keep waiting, with what is missing now). The number of requests made."""
    repo = PaymentsRepository(session)
    made = 0
    for waiting in await repo.waiting_obligations(
        agency_id=agency_id, procedure_code=procedure_code, lock=True
    ):
        schedule, account, _ = await _configuration(session, waiting.procedure_code, waiting.agency_id)
        if schedule is None or account is None:
            waiting.missing = _missing(schedule, account)
            session.add(waiting)
            continue
        request = await create_request(
            ctx, session, waiting.dossier_code, waiting.procedure_code, waiting.agency_id, waiting.stage
        )
        waiting.resolved_at = now()
        waiting.payment_id = request.id if request is not None else None
        session.add(waiting)
        made += request is not None
    return made


async def _configuration(
    session: AsyncSession, procedure_code: str, agency_id: str
) -> tuple[FeeSchedule | None, BeneficiaryAccount | None, str]:
    """The fee schedule and the beneficiary account in force for the agency's dossiers of a procedure,
    and the agency whose account it is."""
    repo = PaymentsRepository(session)
    account_agency_id = await beneficiary_agency(session, procedure_code, agency_id)
    return (
        await repo.fee_schedule(procedure_code, agency_id),
        await repo.account(account_agency_id),
        account_agency_id,
    )


def _missing(schedule: FeeSchedule | None, account: BeneficiaryAccount | None) -> str:
    return "fee_schedule" if schedule is None else "beneficiary_account"


async def _cancel_requests(session: AsyncSession, dossier_code: str) -> None:
    """A withdrawn or stopped dossier owes nothing more: its unpaid requests are cancelled, and an
    obligation waiting for configuration is waited for no more."""
    repo = PaymentsRepository(session)
    for waiting in await repo.waiting_obligations(dossier_code=dossier_code):
        waiting.resolved_at = now()
        session.add(waiting)
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
    schedule, account, account_agency_id = await _configuration(session, procedure_code, agency_id)
    if schedule is None or account is None:
        # Not an error of the dossier: the agency has not configured its fees or its account yet. It
        # is shown to the agency and the operator, and asked for once the configuration is complete.
        missing = _missing(schedule, account)
        await repo.wait_for_configuration(
            WaitingObligation(
                dossier_code=dossier_code,
                stage=stage,
                procedure_code=procedure_code,
                agency_id=agency_id,
                account_agency_id=account_agency_id,
                missing=missing,
                detected_at=now(),
            )
        )
        log.warning(
            "payment request waits for the agency's configuration",
            extra={"code": dossier_code, "agency_id": account_agency_id, "missing": missing},
        )
        return None
    dossier = await repo.dossier(dossier_code)
    schedule_lines = [fees.Fee(f["kind"], f["name"], int(f["amount"])) for f in schedule.fees]
    # The postal fee follows the result's delivery by post (Điện Biên Điều 14.3), not how the
    # dossier was submitted.
    by_post = dossier is not None and dossier.result_delivery == "post"
    lines = fees.fee_lines(schedule_lines, schedule.postal_fee, by_post=by_post)
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
