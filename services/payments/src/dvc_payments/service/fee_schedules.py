"""Fee schedules and beneficiary accounts: configured by the agency (Điện Biên Điều 8.4, 18.2), or the
catalog's legal fees until it does."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AgencyUpserted, ProcedureAgency, ProcedurePublished
from dvc_common.principal import Principal, Role
from dvc_payments.domain import fees
from dvc_payments.domain.access import may_see_configuration
from dvc_payments.errors import agency_does_not_perform, not_own_agency, unknown_agency
from dvc_payments.models import Agency, BeneficiaryAccount, FeeSchedule, WaitingObligation
from dvc_payments.models import ProcedureAgency as PerformingAgency
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import PaymentsContext, now
from dvc_payments.service.payment_requests import resume_waiting

CATALOG_AUTHOR = "danh-muc:"  # schedules taken from procedure.published, not configured by the agency


async def set_fee_schedule(
    session: AsyncSession,
    *,
    procedure_code: str,
    agency_id: str,
    lines: list[fees.Fee],
    postal_fee: int | None,
    upfront: bool,
    author: str,
) -> FeeSchedule:
    schedule = FeeSchedule(
        procedure_code=procedure_code,
        agency_id=agency_id,
        version=0,
        fees=[{"kind": f.kind, "name": f.name, "amount": f.amount} for f in lines],
        postal_fee=postal_fee,
        upfront=upfront,
        author=author,
        created_at=now(),
    )
    return await PaymentsRepository(session).add_fee_schedule(schedule)


async def set_account(
    session: AsyncSession,
    *,
    agency_id: str,
    account_number: str,
    account_name: str,
    bank_code: str,
    bank_name: str,
    author: str,
) -> BeneficiaryAccount:
    account = BeneficiaryAccount(
        agency_id=agency_id,
        version=0,
        account_number=account_number,
        account_name=account_name,
        bank_code=bank_code,
        bank_name=bank_name,
        author=author,
        created_at=now(),
    )
    return await PaymentsRepository(session).add_account(account)


async def record_agency(session: AsyncSession, data: AgencyUpserted) -> None:
    """identity's agency tree: configuration may only name agencies that exist."""
    await PaymentsRepository(session).save_agency(
        Agency(agency_id=data.agency_id, name=data.name, active=data.active, updated_at=data.updated_at)
    )


def performing_agencies(data: ProcedurePublished) -> list[ProcedureAgency]:
    """The agencies performing the procedure, each with its own fees (K1); an older publication
    without the list names only the competent agency, with the procedure's fees."""
    if data.agencies:
        return list(data.agencies)
    return [ProcedureAgency(agency_id=data.agency_id, agency_name=data.agency_name, fees=data.fees)]


async def adopt_catalog_fees(ctx: PaymentsContext, session: AsyncSession, data: ProcedurePublished) -> None:
    """Each performing agency's legal fees (the catalog's) become its schedule until the agency
    configures its own; obligations that waited for them are asked for now."""
    repo = PaymentsRepository(session)
    agencies = performing_agencies(data)
    await repo.save_procedure_agencies(
        data.code,
        [
            PerformingAgency(
                procedure_code=data.code,
                agency_id=a.agency_id,
                agency_name=a.agency_name,
                beneficiary_agency_id=a.beneficiary_agency_id or a.agency_id,
                receiving_agency_id=a.receiving_agency_id or a.agency_id,
            )
            for a in agencies
        ],
    )
    for agency in agencies:
        await _adopt_agency_fees(session, data, agency)
    await resume_waiting(ctx, session, procedure_code=data.code)


async def _adopt_agency_fees(
    session: AsyncSession, data: ProcedurePublished, agency: ProcedureAgency
) -> None:
    if not agency.fees:
        return
    repo = PaymentsRepository(session)
    latest = await repo.fee_schedule(data.code, agency.agency_id)
    catalog = [fees.Fee(f.kind, f.name, f.amount) for f in agency.fees if f.kind != "buu_chinh"]
    lines = [{"kind": f.kind, "name": f.name, "amount": f.amount} for f in catalog]
    if latest is not None and (not latest.author.startswith(CATALOG_AUTHOR) or latest.fees == lines):
        return  # the agency's own configuration wins (Điện Biên Điều 8.4); or nothing changed
    await set_fee_schedule(
        session,
        procedure_code=data.code,
        agency_id=agency.agency_id,
        lines=catalog,
        postal_fee=latest.postal_fee if latest else None,
        upfront=latest.upfront if latest else False,
        author=f"{CATALOG_AUTHOR}{data.revision}",
    )


def _ensure_own_agency(officer: Principal, agency_id: str) -> None:
    if not (officer.has_any_role(Role.PROVINCIAL_OPERATOR) or officer.agency_id == agency_id):
        raise not_own_agency()


async def _ensure_performs(session: AsyncSession, procedure_code: str, agency_id: str) -> None:
    """A fee schedule is for an agency the catalog names as performing the procedure."""
    if await PaymentsRepository(session).procedure_agency(procedure_code, agency_id) is None:
        raise agency_does_not_perform(procedure_code, agency_id)


async def _ensure_known_agency(session: AsyncSession, agency_id: str) -> None:
    """A beneficiary account is for an agency of identity's tree or of the catalog."""
    repo = PaymentsRepository(session)
    agency = await repo.agency(agency_id)
    if (agency is None or not agency.active) and not await repo.performs_any(agency_id):
        raise unknown_agency(agency_id)


async def configure_fee_schedule(
    ctx: PaymentsContext,
    session: AsyncSession,
    officer: Principal,
    *,
    procedure_code: str,
    agency_id: str,
    lines: list[fees.Fee],
    postal_fee: int | None,
    upfront: bool,
) -> FeeSchedule:
    """A new version of the agency's fees for a procedure, by an officer of that agency; obligations
    that waited for it are asked for now."""
    _ensure_own_agency(officer, agency_id)
    await _ensure_performs(session, procedure_code, agency_id)
    schedule = await set_fee_schedule(
        session,
        procedure_code=procedure_code,
        agency_id=agency_id,
        lines=lines,
        postal_fee=postal_fee,
        upfront=upfront,
        author=officer.subject,
    )
    await resume_waiting(ctx, session, agency_id=agency_id, procedure_code=procedure_code)
    return schedule


async def configure_account(
    ctx: PaymentsContext,
    session: AsyncSession,
    officer: Principal,
    *,
    agency_id: str,
    account_number: str,
    account_name: str,
    bank_code: str,
    bank_name: str,
) -> BeneficiaryAccount:
    """A new version of the agency's beneficiary account, by an officer of that agency; the dossiers
    that waited for it get their payment request now."""
    _ensure_own_agency(officer, agency_id)
    await _ensure_known_agency(session, agency_id)
    account = await set_account(
        session,
        agency_id=agency_id,
        account_number=account_number,
        account_name=account_name,
        bank_code=bank_code,
        bank_name=bank_name,
        author=officer.subject,
    )
    await resume_waiting(ctx, session, agency_id=agency_id)
    return account


async def configuration_problems(
    session: AsyncSession, reader: Principal, agency_id: str | None
) -> list[WaitingObligation]:
    """Dossiers waiting for an agency's configuration: the agency's own (its administrators and
    leaders), or every agency's (the provincial operator)."""
    if not reader.has_any_role(Role.PROVINCIAL_OPERATOR):
        agency_id = agency_id or reader.agency_id
        if agency_id is None or not may_see_configuration(reader, agency_id):
            raise not_own_agency()
    return await PaymentsRepository(session).waiting_obligations(agency_id=agency_id)


async def schedules(session: AsyncSession, procedure_code: str, agency_id: str) -> list[FeeSchedule]:
    """Every version, newest first."""
    return await PaymentsRepository(session).fee_schedules(procedure_code, agency_id)


async def accounts(session: AsyncSession, agency_id: str) -> list[BeneficiaryAccount]:
    """Every version, newest first."""
    return await PaymentsRepository(session).accounts(agency_id)
