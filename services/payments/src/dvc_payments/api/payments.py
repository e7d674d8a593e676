"""The citizen's payment: what a dossier owes, starting a payment, the return page, the receipt; and the
platform's callback."""

from __future__ import annotations

from fastapi import APIRouter, Request

from dvc_common.http_auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import MaybePrincipal, PaymentsDep
from dvc_payments.errors import invalid_message
from dvc_payments.schemas import (
    RETURN_MESSAGES,
    AttemptOut,
    CallbackAnswer,
    PaymentDetail,
    PaymentOut,
    PaymentReturn,
    PaymentStarted,
    ReceiptOut,
)
from dvc_payments.service import payment_requests, receipts

router = APIRouter(prefix="/api/v1", tags=["payments"])


@router.get("/payments", summary="Các khoản phải nộp của một hồ sơ (tra cứu theo mã hồ sơ)")
async def list_payments(
    dossier_code: str, principal: CurrentPrincipal, runtime: RuntimeDep
) -> list[PaymentOut]:
    # Only what the caller may read (owner, payer, handling agency, province-wide): else none.
    async with runtime.transaction() as session:
        requests = await payment_requests.payments_of_dossier(session, dossier_code, principal)
    return [PaymentOut.of(r) for r in requests]


@router.get("/payments/return", summary="Trang trở về từ nền tảng thanh toán")
async def payment_return(MaThamChieu: str, payments: PaymentsDep, principal: MaybePrincipal) -> PaymentReturn:
    """The browser comes back here; its parameters are never trusted: we QUERY the platform."""
    outcome, request = await payments.return_from_platform(MaThamChieu, principal)
    return PaymentReturn(
        verdict=outcome.verdict,
        message=RETURN_MESSAGES.get(outcome.verdict, ""),
        payment=PaymentOut.of(request) if request is not None else None,
    )


@router.get("/payments/{payment_id}", summary="Tình trạng một khoản thanh toán")
async def get_payment(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> PaymentDetail:
    async with runtime.transaction() as session:
        request, attempts = await payment_requests.payment_with_attempts(session, payment_id, principal)
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
