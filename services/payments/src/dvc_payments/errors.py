"""Payments' named problems (RFC 9457), in Vietnamese."""

from __future__ import annotations

from dvc_common.problems import Problem
from dvc_payments.models import PaymentRequest


def unavailable() -> Problem:
    return Problem(
        503,
        "payment-platform-unavailable",
        "Nền tảng thanh toán tạm thời không phản hồi",
        "Chưa có khoản tiền nào bị trừ từ giao dịch này. Vui lòng thử lại sau ít phút.",
        headers={"Retry-After": "30"},
    )


def not_found(payment_id: str) -> Problem:
    return Problem(
        404,
        "payment-not-found",
        "Không tìm thấy khoản thanh toán",
        f"Không có khoản thanh toán {payment_id}.",
    )


def cancelled(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "payment-cancelled",
        "Khoản phí này đã được hủy",
        f"Hồ sơ {request.dossier_code} đã rút hoặc dừng xử lý; không thu phí.",
        payment_id=request.id,
    )


def already_paid(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "already-paid",
        "Khoản phí này đã được thanh toán",
        f"Hồ sơ {request.dossier_code} đã thanh toán {request.amount} VND; không thu thêm.",
        payment_id=request.id,
        status_code=request.status,
        receipt_url=f"/api/v1/payments/{request.id}/receipt",
    )
