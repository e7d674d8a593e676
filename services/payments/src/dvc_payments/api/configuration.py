"""Agency configuration (Điện Biên Điều 8.4, 18.2): fee schedules and beneficiary accounts, in versions."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import ConfigOfficer, ConfigReader, PaymentsDep
from dvc_payments.domain import fees
from dvc_payments.schemas import (
    AccountIn,
    AccountOut,
    ConfigurationProblemOut,
    FeeScheduleIn,
    FeeScheduleOut,
)
from dvc_payments.service import fee_schedules

router = APIRouter(prefix="/api/v1", tags=["payments"])


@router.put("/fee-schedules/{procedure_code}/{agency_id}", summary="Cấu hình phí, lệ phí (phiên bản mới)")
async def put_fee_schedule(
    procedure_code: str,
    agency_id: str,
    body: FeeScheduleIn,
    officer: ConfigOfficer,
    runtime: RuntimeDep,
    payments: PaymentsDep,
) -> FeeScheduleOut:
    async with runtime.transaction() as session:
        schedule = await fee_schedules.configure_fee_schedule(
            payments,
            session,
            officer,
            procedure_code=procedure_code,
            agency_id=agency_id,
            lines=[fees.Fee(f.kind, f.name, f.amount) for f in body.fees],
            postal_fee=body.postal_fee,
            upfront=body.upfront,
        )
    return FeeScheduleOut.model_validate(schedule)


@router.get("/fee-schedules/{procedure_code}/{agency_id}", summary="Các phiên bản biểu phí")
async def get_fee_schedules(procedure_code: str, agency_id: str, runtime: RuntimeDep) -> list[FeeScheduleOut]:
    async with runtime.transaction() as session:
        versions = await fee_schedules.schedules(session, procedure_code, agency_id)
    return [FeeScheduleOut.model_validate(s) for s in versions]


@router.put("/beneficiary-accounts/{agency_id}", summary="Cấu hình tài khoản thụ hưởng (phiên bản mới)")
async def put_account(
    agency_id: str, body: AccountIn, officer: ConfigOfficer, runtime: RuntimeDep, payments: PaymentsDep
) -> AccountOut:
    async with runtime.transaction() as session:
        account = await fee_schedules.configure_account(
            payments, session, officer, agency_id=agency_id, **body.model_dump()
        )
    return AccountOut.model_validate(account)


@router.get("/beneficiary-accounts/{agency_id}", summary="Các phiên bản tài khoản thụ hưởng")
async def get_accounts(agency_id: str, officer: ConfigOfficer, runtime: RuntimeDep) -> list[AccountOut]:
    async with runtime.transaction() as session:
        versions = await fee_schedules.accounts(session, agency_id)
    return [AccountOut.model_validate(a) for a in versions]


@router.get(
    "/configuration-problems",
    summary="Hồ sơ chờ cơ quan hoàn thiện cấu hình thu phí (biểu phí, tài khoản thụ hưởng)",
)
async def get_configuration_problems(
    reader: ConfigReader, runtime: RuntimeDep, agency_id: str | None = None
) -> list[ConfigurationProblemOut]:
    """Dossiers in their financial obligation whose payment request waits for the agency's fee
    schedule or beneficiary account: an agency's own (its administrators and leaders), or every
    agency's (the provincial operator). Each gets its request as soon as the configuration exists."""
    async with runtime.transaction() as session:
        waiting = await fee_schedules.configuration_problems(session, reader, agency_id)
    return [ConfigurationProblemOut.of(w) for w in waiting]
