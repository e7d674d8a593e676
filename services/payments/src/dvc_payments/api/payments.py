"""The citizen's payment: what a dossier owes, starting a payment, the return page, the receipt; and the
platform's callback."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from dvc_common.http_auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import CounterOfficer, MaybePrincipal, PaymentsDep
from dvc_payments.errors import invalid_message
from dvc_payments.schemas import (
    RETURN_MESSAGES,
    AttemptOut,
    CallbackAnswer,
    CallbackMessage,
    CounterPaymentIn,
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


@router.post(
    "/payments/{payment_id}/counter",
    summary="Ghi nhận khoản phí, lệ phí thu tại Bộ phận Một cửa (tiền mặt hoặc thẻ)",
)
async def record_counter_payment(
    payment_id: str, body: CounterPaymentIn, officer: CounterOfficer, payments: PaymentsDep
) -> PaymentOut:
    """The one-stop officer of the handling agency (or of the agency receiving its dossiers, the
    provincial service centre for departments) took the whole amount at the counter: the
    agency's receipt (biên lai) is issued and the dossier moves on as after an online payment."""
    request = await payments.record_counter_payment(
        payment_id, officer, method=body.method, card_reference=body.card_reference
    )
    return PaymentOut.of(request)


@router.get(
    "/payments/{payment_id}/receipt", summary="Chứng từ nộp ngân sách nhà nước (có chữ ký số của ngân hàng)"
)
async def get_receipt(payment_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> ReceiptOut:
    async with runtime.transaction() as session:
        receipt = await receipts.readable_receipt(session, payment_id, principal)
    return ReceiptOut.of(receipt)


@router.post(
    "/payments/callback",
    summary="Thông báo kết quả giao dịch từ nền tảng thanh toán",
    responses={400: {"description": "Not a well-formed platform message, or a wrong MaXacThuc"}},
)
async def callback(request: Request, payments: PaymentsDep) -> CallbackAnswer:
    message = parse_callback(await request.body())
    outcome = await payments.callback(message)
    return CallbackAnswer(MaThamChieu=outcome.reference, KetQua=outcome.verdict)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_callback(raw: bytes) -> dict[str, Any]:
    """The callback's body as the platform's typed fields (only those: what the checksum covers),
    or 400: strict JSON (no NaN, Infinity; bounded depth), an object, every field of its type."""
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise invalid_message() from None
    if not isinstance(body, dict):
        raise invalid_message()
    try:
        return CallbackMessage.model_validate(body).model_dump(exclude_unset=True)
    except ValidationError:
        raise invalid_message() from None
