"""Payments' HTTP routes (thin): agency configuration, the citizen's payment, the platform's callback,
reconciliation for the accountant."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from dvc_common.auth import CurrentPrincipal, Principal, Role
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import Accountant, ConfigOfficer, PaymentsDep
from dvc_payments.domain import fees
from dvc_payments.errors import not_found
from dvc_payments.models import BeneficiaryAccount, FeeSchedule, PaymentAttempt, PaymentRequest
from dvc_payments.repository import PaymentsRepository
from dvc_payments.schemas import STATUS_TEXT, AccountIn, FeeScheduleIn, Resolution

router = APIRouter(prefix="/api/v1", tags=["payments"])


def _own_agency(principal: Principal, agency_id: str) -> None:
    if principal.has_any_role(Role.PROVINCIAL_OPERATOR) or principal.agency_id == agency_id:
        return
    raise Problem(403, "forbidden", "Không có quyền", "Chỉ cấu hình được phí, tài khoản của cơ quan mình.")


# ---------------------------------------------------------------- configuration (Điện Biên Điều 8.4, 18.2)


def _schedule_out(s: FeeSchedule) -> dict[str, Any]:
    return s.model_dump(exclude={"id"})


def _account_out(a: BeneficiaryAccount) -> dict[str, Any]:
    return a.model_dump(exclude={"id"})


@router.put("/fee-schedules/{procedure_code}/{agency_id}", summary="Cấu hình phí, lệ phí (phiên bản mới)")
async def put_fee_schedule(
    procedure_code: str, agency_id: str, body: FeeScheduleIn, officer: ConfigOfficer, runtime: RuntimeDep,
    payments: PaymentsDep,
) -> dict[str, Any]:  # fmt: skip
    _own_agency(officer, agency_id)
    async with runtime.transaction() as session:
        schedule = await payments.set_fee_schedule(
            session,
            procedure_code=procedure_code,
            agency_id=agency_id,
            lines=[fees.Fee(f.kind, f.name, f.amount) for f in body.fees],
            postal_fee=body.postal_fee,
            upfront=body.upfront,
            author=officer.subject,
        )
    return _schedule_out(schedule)


@router.get("/fee-schedules/{procedure_code}/{agency_id}", summary="Các phiên bản biểu phí")
async def get_fee_schedules(procedure_code: str, agency_id: str, runtime: RuntimeDep) -> list[dict[str, Any]]:
    async with runtime.transaction() as session:
        return [
            _schedule_out(s)
            for s in await PaymentsRepository(session).fee_schedules(procedure_code, agency_id)
        ]


@router.put("/beneficiary-accounts/{agency_id}", summary="Cấu hình tài khoản thụ hưởng (phiên bản mới)")
async def put_account(
    agency_id: str, body: AccountIn, officer: ConfigOfficer, runtime: RuntimeDep, payments: PaymentsDep
) -> dict[str, Any]:
    _own_agency(officer, agency_id)
    async with runtime.transaction() as session:
        account = await payments.set_account(
            session, agency_id=agency_id, author=officer.subject, **body.model_dump()
        )
    return _account_out(account)


@router.get("/beneficiary-accounts/{agency_id}", summary="Các phiên bản tài khoản thụ hưởng")
async def get_accounts(agency_id: str, officer: ConfigOfficer, runtime: RuntimeDep) -> list[dict[str, Any]]:
    async with runtime.transaction() as session:
        return [_account_out(a) for a in await PaymentsRepository(session).accounts(agency_id)]


# ---------------------------------------------------------------- the citizen's payment


def _request_out(r: PaymentRequest, attempts: list[PaymentAttempt] | None = None) -> dict[str, Any]:
    out = {
        "payment_id": r.id,
        "dossier_code": r.dossier_code,
        "procedure_code": r.procedure_code,
        "agency_id": r.agency_id,
        "amount": r.amount,
        "currency": "VND",
        "fee_lines": r.fee_lines,
        "status": r.status,
        "status_text": STATUS_TEXT[r.status],
        "paid_at": r.paid_at,
        "transaction_id": r.transaction_id,
        "receipt_url": f"/api/v1/payments/{r.id}/receipt" if r.status == "paid" else None,
    }
    if attempts is not None:
        out["attempts"] = [
            {
                "reference": a.reference,
                "status": a.status,
                "error": a.error_message,
                "created_at": a.created_at,
            }
            for a in attempts
        ]
    return out


@router.get("/payments", summary="Các khoản phải nộp của một hồ sơ (tra cứu theo mã hồ sơ)")
async def list_payments(
    dossier_code: str, principal: CurrentPrincipal, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    async with runtime.transaction() as session:
        return [_request_out(r) for r in await PaymentsRepository(session).requests_of_dossier(dossier_code)]


@router.get("/payments/return", summary="Trang trở về từ nền tảng thanh toán")
async def payment_return(MaThamChieu: str, payments: PaymentsDep, runtime: RuntimeDep) -> dict[str, Any]:
    """The browser comes back here; its parameters are never trusted: we QUERY the platform."""
    outcome = await payments.confirm(MaThamChieu)
    if outcome.payment_id is None:
        raise not_found(MaThamChieu)
    async with runtime.transaction() as session:
        request = await PaymentsRepository(session).request(outcome.payment_id)
    assert request is not None
    messages = {
        "paid": "Thanh toán thành công. Hồ sơ sẽ được tiếp tục xử lý.",
        "already_paid": "Thanh toán thành công. Hồ sơ sẽ được tiếp tục xử lý.",
        "pending": "Giao dịch đang được ngân hàng xử lý; kết quả sẽ được cập nhật khi có xác nhận.",
        "failed": "Giao dịch không thành công; chưa có khoản tiền nào được ghi nhận. Bạn có thể thanh toán lại.",
        "amount_mismatch": "Số tiền giao dịch không khớp; khoản đã trừ sẽ được đối soát và hoàn trả. Vui lòng thanh toán lại.",
        "duplicate": "Khoản phí này đã được thanh toán hoặc đã hủy; khoản vừa trừ sẽ được đối soát và hoàn trả.",
    }
    return {"verdict": outcome.verdict, "message": messages.get(outcome.verdict, ""), **_request_out(request)}


@router.get("/payments/{payment_id}", summary="Tình trạng một khoản thanh toán")
async def get_payment(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> dict[str, Any]:
    async with runtime.transaction() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(payment_id)
        if request is None:
            raise not_found(payment_id)
        return _request_out(request, await repo.attempts(payment_id))


@router.post("/payments/{payment_id}/start", summary="Bắt đầu thanh toán: nhận địa chỉ trang thanh toán")
async def start_payment(
    payment_id: str, principal: CurrentPrincipal, payments: PaymentsDep
) -> dict[str, Any]:
    if principal.is_officer:
        raise Problem(
            403, "forbidden", "Không có quyền", "Người nộp hồ sơ tự thực hiện thanh toán trực tuyến."
        )
    return await payments.start(payment_id, principal)


@router.get(
    "/payments/{payment_id}/receipt", summary="Chứng từ nộp ngân sách nhà nước (có chữ ký số của ngân hàng)"
)
async def get_receipt(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> dict[str, Any]:
    async with runtime.transaction() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(payment_id)
        receipt = await repo.receipt(payment_id)
    if request is None or receipt is None:
        raise Problem(
            404,
            "receipt-not-found",
            "Chưa có chứng từ",
            "Khoản thanh toán này chưa có chứng từ nộp ngân sách.",
        )
    allowed = principal.subject == request.payer_subject or (
        principal.is_officer and (principal.agency_id == request.agency_id or principal.has_any_role(
            Role.PROVINCIAL_OPERATOR, Role.AUDITOR))
    )  # fmt: skip
    if not allowed:
        raise Problem(
            403, "forbidden", "Không có quyền", "Chỉ người nộp tiền và cơ quan giải quyết được xem chứng từ."
        )
    return {
        "payment_id": payment_id,
        "receipt_number": receipt.receipt_number,
        "document": receipt.document,
        "signature": receipt.signature,
        "signature_algorithm": "Ed25519",
        "sha256": receipt.sha256,
        "fetched_at": receipt.fetched_at,
    }


# ---------------------------------------------------------------- the platform's callback


@router.post("/payments/callback", summary="Thông báo kết quả giao dịch từ nền tảng thanh toán")
async def callback(request: Request, payments: PaymentsDep) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Problem(
            400, "invalid-message", "Thông điệp không hợp lệ", "Thông điệp phải là một đối tượng JSON."
        )
    outcome = await payments.callback(body)
    return {"MaLoi": "00", "MoTaLoi": "Đã nhận", "MaThamChieu": outcome.reference, "KetQua": outcome.verdict}


# ---------------------------------------------------------------- reconciliation (accountant)


@router.post("/reconciliation/run", summary="Đối soát ngay với nền tảng thanh toán")
async def run_reconciliation(officer: Accountant, request: Request) -> dict[str, Any]:
    reconciler = request.app.state.reconciler
    report: dict[str, Any] = await reconciler.run_once(force=True)
    return report


@router.get("/reconciliation/mismatches", summary="Các sai lệch đối soát (mặc định: chưa xử lý)")
async def mismatches(
    officer: Accountant, runtime: RuntimeDep, include_resolved: bool = False
) -> list[dict[str, Any]]:
    async with runtime.transaction() as session:
        rows = await PaymentsRepository(session).mismatches(unresolved_only=not include_resolved)
    return [m.model_dump() for m in rows]


@router.post("/reconciliation/mismatches/{mismatch_id}/resolve", summary="Ghi nhận đã xử lý một sai lệch")
async def resolve(
    mismatch_id: int, body: Resolution, officer: Accountant, runtime: RuntimeDep
) -> dict[str, Any]:
    async with runtime.transaction() as session:
        mismatch = await PaymentsRepository(session).resolve_mismatch(
            mismatch_id, officer.subject, body.resolution
        )
    if mismatch is None:
        raise Problem(
            404, "mismatch-not-found", "Không tìm thấy sai lệch", f"Không có sai lệch số {mismatch_id}."
        )
    return mismatch.model_dump()
