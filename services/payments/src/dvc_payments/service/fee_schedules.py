"""Fee schedules and beneficiary accounts: configured by the agency (Điện Biên Điều 8.4, 18.2), or the
catalog's legal fees until it does."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import ProcedurePublished
from dvc_common.principal import Principal, Role
from dvc_payments.domain import fees
from dvc_payments.errors import not_own_agency
from dvc_payments.models import BeneficiaryAccount, FeeSchedule
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import now

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


async def adopt_catalog_fees(session: AsyncSession, data: ProcedurePublished) -> None:
    """The catalog's legal fees become the schedule until the agency configures its own."""
    if not data.fees:
        return
    repo = PaymentsRepository(session)
    latest = await repo.fee_schedule(data.code, data.agency_id)
    catalog = [fees.Fee(f.kind, f.name, f.amount) for f in data.fees if f.kind != "buu_chinh"]
    lines = [{"kind": f.kind, "name": f.name, "amount": f.amount} for f in catalog]
    if latest is not None and (not latest.author.startswith(CATALOG_AUTHOR) or latest.fees == lines):
        return  # the agency's own configuration wins (Điện Biên Điều 8.4); or nothing changed
    await set_fee_schedule(
        session,
        procedure_code=data.code,
        agency_id=data.agency_id,
        lines=catalog,
        postal_fee=latest.postal_fee if latest else None,
        upfront=latest.upfront if latest else False,
        author=f"{CATALOG_AUTHOR}{data.revision}",
    )


def _ensure_own_agency(officer: Principal, agency_id: str) -> None:
    if not (officer.has_any_role(Role.PROVINCIAL_OPERATOR) or officer.agency_id == agency_id):
        raise not_own_agency()


async def configure_fee_schedule(
    session: AsyncSession,
    officer: Principal,
    *,
    procedure_code: str,
    agency_id: str,
    lines: list[fees.Fee],
    postal_fee: int | None,
    upfront: bool,
) -> FeeSchedule:
    """A new version of the agency's fees for a procedure, by an officer of that agency."""
    _ensure_own_agency(officer, agency_id)
    return await set_fee_schedule(
        session,
        procedure_code=procedure_code,
        agency_id=agency_id,
        lines=lines,
        postal_fee=postal_fee,
        upfront=upfront,
        author=officer.subject,
    )


async def configure_account(
    session: AsyncSession,
    officer: Principal,
    *,
    agency_id: str,
    account_number: str,
    account_name: str,
    bank_code: str,
    bank_name: str,
) -> BeneficiaryAccount:
    """A new version of the agency's beneficiary account, by an officer of that agency."""
    _ensure_own_agency(officer, agency_id)
    return await set_account(
        session,
        agency_id=agency_id,
        account_number=account_number,
        account_name=account_name,
        bank_code=bank_code,
        bank_name=bank_name,
        author=officer.subject,
    )


async def schedules(session: AsyncSession, procedure_code: str, agency_id: str) -> list[FeeSchedule]:
    """Every version, newest first."""
    return await PaymentsRepository(session).fee_schedules(procedure_code, agency_id)


async def accounts(session: AsyncSession, agency_id: str) -> list[BeneficiaryAccount]:
    """Every version, newest first."""
    return await PaymentsRepository(session).accounts(agency_id)
