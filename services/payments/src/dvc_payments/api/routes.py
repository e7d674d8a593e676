"""Payments' HTTP routes (thin): agency configuration, the citizen's payment, the platform's callback,
reconciliation for the accountant."""

from __future__ import annotations

from fastapi import APIRouter, Request

from dvc_common.http_auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import Accountant, ConfigOfficer, PaymentsDep
from dvc_payments.domain import fees
from dvc_payments.errors import invalid_message
from dvc_payments.schemas import (
    RETURN_MESSAGES,
    AccountIn,
    AccountOut,
    AttemptOut,
    CallbackAnswer,
    FeeScheduleIn,
    FeeScheduleOut,
    MismatchOut,
    PaymentDetail,
    PaymentOut,
    PaymentReturn,
    PaymentStarted,
    ReceiptOut,
    ReconciliationReport,
    ReconciliationSkipped,
    Resolution,
)
from dvc_payments.service import fee_schedules, payment_requests, receipts, reconciliation

router = APIRouter(prefix="/api/v1", tags=["payments"])


# ---------------------------------------------------------------- configuration (Điện Biên Điều 8.4, 18.2)


@router.put("/fee-schedules/{procedure_code}/{agency_id}", summary="Cấu hình phí, lệ phí (phiên bản mới)")
async def put_fee_schedule(
    procedure_code: str, agency_id: str, body: FeeScheduleIn, officer: ConfigOfficer, runtime: RuntimeDep
) -> FeeScheduleOut:
    async with runtime.transaction() as session:
        schedule = await fee_schedules.configure_fee_schedule(
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
    agency_id: str, body: AccountIn, officer: ConfigOfficer, runtime: RuntimeDep
) -> AccountOut:
    async with runtime.transaction() as session:
        account = await fee_schedules.configure_account(
            session, officer, agency_id=agency_id, **body.model_dump()
        )
    return AccountOut.model_validate(account)


@router.get("/beneficiary-accounts/{agency_id}", summary="Các phiên bản tài khoản thụ hưởng")
async def get_accounts(agency_id: str, officer: ConfigOfficer, runtime: RuntimeDep) -> list[AccountOut]:
    async with runtime.transaction() as session:
        versions = await fee_schedules.accounts(session, agency_id)
    return [AccountOut.model_validate(a) for a in versions]


# ---------------------------------------------------------------- the citizen's payment


@router.get("/payments", summary="Các khoản phải nộp của một hồ sơ (tra cứu theo mã hồ sơ)")
async def list_payments(
    dossier_code: str, principal: CurrentPrincipal, runtime: RuntimeDep
) -> list[PaymentOut]:
    async with runtime.transaction() as session:
        requests = await payment_requests.payments_of_dossier(session, dossier_code)
    return [PaymentOut.of(r) for r in requests]


@router.get("/payments/return", summary="Trang trở về từ nền tảng thanh toán")
async def payment_return(MaThamChieu: str, payments: PaymentsDep) -> PaymentReturn:
    """The browser comes back here; its parameters are never trusted: we QUERY the platform."""
    outcome, request = await payments.return_from_platform(MaThamChieu)
    return PaymentReturn.of(
        request, verdict=outcome.verdict, message=RETURN_MESSAGES.get(outcome.verdict, "")
    )


@router.get("/payments/{payment_id}", summary="Tình trạng một khoản thanh toán")
async def get_payment(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> PaymentDetail:
    async with runtime.transaction() as session:
        request, attempts = await payment_requests.payment_with_attempts(session, payment_id)
    return PaymentDetail.of(request, attempts=[AttemptOut.of(a) for a in attempts])


@router.post("/payments/{payment_id}/start", summary="Bắt đầu thanh toán: nhận địa chỉ trang thanh toán")
async def start_payment(
    payment_id: str, principal: CurrentPrincipal, payments: PaymentsDep
) -> PaymentStarted:
    return PaymentStarted.model_validate(await payments.start(payment_id, principal))


@router.get(
    "/payments/{payment_id}/receipt", summary="Chứng từ nộp ngân sách nhà nước (có chữ ký số của ngân hàng)"
)
async def get_receipt(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> ReceiptOut:
    async with runtime.transaction() as session:
        receipt = await receipts.readable_receipt(session, payment_id, principal)
    return ReceiptOut.model_validate(receipt)


# ---------------------------------------------------------------- the platform's callback


@router.post("/payments/callback", summary="Thông báo kết quả giao dịch từ nền tảng thanh toán")
async def callback(request: Request, payments: PaymentsDep) -> CallbackAnswer:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise invalid_message()
    outcome = await payments.callback(body)
    return CallbackAnswer(MaThamChieu=outcome.reference, KetQua=outcome.verdict)


# ---------------------------------------------------------------- reconciliation (accountant)


@router.post("/reconciliation/run", summary="Đối soát ngay với nền tảng thanh toán")
async def run_reconciliation(
    officer: Accountant, payments: PaymentsDep
) -> ReconciliationReport | ReconciliationSkipped:
    report = await payments.reconcile_now()
    if "skipped" in report:
        return ReconciliationSkipped.model_validate(report)
    return ReconciliationReport.model_validate(report)


@router.get("/reconciliation/mismatches", summary="Các sai lệch đối soát (mặc định: chưa xử lý)")
async def mismatches(
    officer: Accountant, runtime: RuntimeDep, include_resolved: bool = False
) -> list[MismatchOut]:
    async with runtime.transaction() as session:
        rows = await reconciliation.mismatches(session, include_resolved=include_resolved)
    return [MismatchOut.model_validate(m) for m in rows]


@router.post("/reconciliation/mismatches/{mismatch_id}/resolve", summary="Ghi nhận đã xử lý một sai lệch")
async def resolve(
    mismatch_id: int, body: Resolution, officer: Accountant, runtime: RuntimeDep
) -> MismatchOut:
    async with runtime.transaction() as session:
        mismatch = await reconciliation.resolve_mismatch(
            session, mismatch_id, officer.subject, body.resolution
        )
    return MismatchOut.model_validate(mismatch)
