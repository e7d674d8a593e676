"""Payments' request and response models (the HTTP API's shapes; table models are never reused)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

STATUS_TEXT = {
    "awaiting": "Chờ thanh toán",
    "verified": "Đã xác nhận thanh toán, đang nhận chứng từ nộp ngân sách",
    "paid": "Đã thanh toán",
    "cancelled": "Đã hủy: hồ sơ đã rút hoặc dừng xử lý, không thu phí",
}


# ---------------------------------------------------------------- configuration (Điện Biên Điều 8.4, 18.2)


class FeeIn(BaseModel):
    kind: Literal["phi", "le_phi"]
    name: str = Field(min_length=1, max_length=200)
    amount: int = Field(ge=0, le=10_000_000_000, strict=True, description="VND, an integer (never 1.5e5)")


class FeeScheduleIn(BaseModel):
    fees: list[FeeIn] = Field(min_length=1)
    postal_fee: int | None = Field(
        default=None, ge=0, strict=True, description="VND, when the result goes by post"
    )
    upfront: bool = Field(default=False, description="Thu khi nộp hồ sơ thay vì ở bước nghĩa vụ tài chính")


class AccountIn(BaseModel):
    account_number: str = Field(min_length=4, max_length=64)
    account_name: str = Field(min_length=1, max_length=200)
    bank_code: str = Field(min_length=2, max_length=32)
    bank_name: str = Field(min_length=1, max_length=200)


# ---------------------------------------------------------------- reconciliation (accountant)


class Resolution(BaseModel):
    resolution: str = Field(min_length=3, max_length=2000, description="Đã hoàn trả, đã đối chiếu, ...")
