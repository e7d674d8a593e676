"""Payments' request and response models (the HTTP API's shapes; table models are never reused).

Response fields keep the order and the JSON form the routes have always answered: instants as
`datetime.isoformat()` (`+00:00`, not pydantic's `Z`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StrictInt, StringConstraints

from dvc_payments.domain.fees import FeeKind
from dvc_payments.models import PaymentAttempt, PaymentRequest, Receipt, WaitingObligation

Instant = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]

STATUS_TEXT = {
    "awaiting": "Chờ thanh toán",
    "verified": "Đã xác nhận thanh toán, đang nhận chứng từ nộp ngân sách",
    "paid": "Đã thanh toán",
    "cancelled": "Đã hủy: hồ sơ đã rút hoặc dừng xử lý, không thu phí",
}
RETURN_MESSAGES = {
    "paid": "Thanh toán thành công. Hồ sơ sẽ được tiếp tục xử lý.",
    "already_paid": "Thanh toán thành công. Hồ sơ sẽ được tiếp tục xử lý.",
    "pending": "Giao dịch đang được ngân hàng xử lý; kết quả sẽ được cập nhật khi có xác nhận.",
    "failed": "Giao dịch không thành công; chưa có khoản tiền nào được ghi nhận. Bạn có thể thanh toán lại.",
    "amount_mismatch": "Số tiền giao dịch không khớp; khoản đã trừ sẽ được đối soát và hoàn trả. Vui lòng thanh toán lại.",
    "duplicate": "Khoản phí này đã được thanh toán hoặc đã hủy; khoản vừa trừ sẽ được đối soát và hoàn trả.",
}


class _FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Configuration (Điện Biên Điều 8.4, 18.2)


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


class FeeLineOut(BaseModel):
    kind: FeeKind
    name: str
    amount: int = Field(description="VND")


class FeeScheduleOut(_FromRow):
    """One version of a fee schedule; the highest is in use."""

    procedure_code: str
    agency_id: str
    version: int
    fees: list[FeeLineOut]
    postal_fee: int | None
    upfront: bool
    author: str
    created_at: Instant


class AccountOut(_FromRow):
    """One version of an agency's beneficiary account; the highest is in use."""

    agency_id: str
    version: int
    account_number: str
    account_name: str
    bank_code: str
    bank_name: str
    author: str
    created_at: Instant


MISSING_TEXT = {
    "fee_schedule": "Cơ quan chưa cấu hình biểu phí, lệ phí cho thủ tục này",
    "beneficiary_account": "Cơ quan chưa cấu hình tài khoản thụ hưởng",
}


class ConfigurationProblemOut(BaseModel):
    """A dossier whose payment request waits for the agency's configuration."""

    dossier_code: str
    procedure_code: str
    agency_id: str = Field(description="The performing agency")
    account_agency_id: str = Field(description="The agency whose beneficiary account receives the fees")
    stage: Literal["upfront", "obligation"]
    missing: Literal["fee_schedule", "beneficiary_account"]
    message: str = Field(description="What to configure, in Vietnamese")
    detected_at: Instant

    @classmethod
    def of(cls, w: WaitingObligation) -> Self:
        return cls.model_validate(
            {
                "dossier_code": w.dossier_code,
                "procedure_code": w.procedure_code,
                "agency_id": w.agency_id,
                "account_agency_id": w.account_agency_id,
                "stage": w.stage,
                "missing": w.missing,
                "message": f"{MISSING_TEXT[w.missing]}: hồ sơ {w.dossier_code} đang chờ để được yêu cầu nộp"
                " phí; yêu cầu được gửi ngay khi cấu hình xong.",
                "detected_at": w.detected_at,
            }
        )


# The citizen's payment


class PaymentOut(BaseModel):
    payment_id: str
    dossier_code: str
    procedure_code: str
    agency_id: str
    amount: int = Field(description="VND")
    currency: Literal["VND"] = "VND"
    fee_lines: list[FeeLineOut]
    status: Literal["awaiting", "verified", "paid", "cancelled"]
    status_text: str
    paid_at: Instant | None
    transaction_id: str | None
    receipt_url: str | None

    @classmethod
    def of(cls, r: PaymentRequest, **extra: Any) -> Self:
        return cls.model_validate(
            {
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
                **extra,
            }
        )


class AttemptOut(BaseModel):
    reference: str
    status: str
    error: str | None
    created_at: Instant

    @classmethod
    def of(cls, a: PaymentAttempt) -> AttemptOut:
        return cls(reference=a.reference, status=a.status, error=a.error_message, created_at=a.created_at)


class PaymentDetail(PaymentOut):
    """A payment with its attempts at the platform."""

    attempts: list[AttemptOut]


class _Verdict(BaseModel):
    verdict: str
    message: str


class PaymentReturn(_Verdict):
    """The return page: the verdict and its message; the payment only for someone who may read it
    (the browser comes back without a token: then no personal data and no payment details)."""

    payment: PaymentOut | None = None


class CounterPaymentIn(BaseModel):
    method: Literal["cash", "card"] = Field(description="cash: tiền mặt; card: thẻ ngân hàng qua máy POS")
    card_reference: str | None = Field(
        default=None, min_length=1, max_length=64, description="The POS slip's transaction number (card)"
    )


class PaymentStarted(BaseModel):
    payment_id: str
    reference: str = Field(description="MaThamChieu of the new attempt")
    pay_url: str = Field(description="The platform's payment page for the citizen")
    amount: int = Field(description="VND")


class ReceiptOut(_FromRow):
    payment_id: str
    receipt_number: str
    document: dict[str, Any]
    signature: str = Field(
        description="The bank's signature; empty for the agency's receipt of a counter payment"
    )
    signature_algorithm: Literal["Ed25519"] | None = Field(
        default="Ed25519",
        description="None: a receipt the agency issued at the counter (not signed by a bank)",
    )
    sha256: str
    fetched_at: Instant

    @classmethod
    def of(cls, receipt: Receipt) -> Self:
        out = cls.model_validate(receipt)
        if not receipt.signature:
            out.signature_algorithm = None
        return out


# The platform's callback

# A field of the platform's messages: a string without control characters (no NUL), bounded.
PlatformText = Annotated[str, StringConstraints(strict=True, max_length=512, pattern=r"^[^\x00-\x1f\x7f]*$")]


class CallbackMessage(BaseModel):
    """The platform's CALLBACK as its fields are typed (domain-rules §5): strings, and the amount an
    integer of VND. Anything else (1.5, true, a NUL, a nested object) is not a platform message."""

    model_config = ConfigDict(extra="ignore")

    LoaiBanTin: PlatformText | None = None
    MaLoi: PlatformText | None = None
    MaDoiTac: PlatformText | None = None
    MaThamChieu: PlatformText | None = None
    SoTien: StrictInt | None = Field(default=None, ge=0, le=10**15, description="VND, an integer")
    MaTienTe: PlatformText | None = None
    MaGiaoDich: PlatformText | None = None
    MaNganHang: PlatformText | None = None
    ThoiGianGD: PlatformText | None = None
    ThongTinGiaoDich: PlatformText | None = None
    MaXacThuc: PlatformText | None = None


class CallbackAnswer(BaseModel):
    """What the platform is told: received (MaLoi 00), and what we made of it."""

    MaLoi: Literal["00"] = "00"
    MoTaLoi: str = "Đã nhận"
    MaThamChieu: str
    KetQua: str


# Reconciliation (accountant)


class Resolution(BaseModel):
    resolution: str = Field(min_length=3, max_length=2000, description="Đã hoàn trả, đã đối chiếu, ...")


class ConfirmedAttempt(BaseModel):
    reference: str
    verdict: str


class FoundMismatch(BaseModel):
    kind: str
    reference: str


class ReconciliationReport(BaseModel):
    confirmed: list[ConfirmedAttempt]
    receipts: int = Field(description="Receipts fetched in this pass")
    mismatches: list[FoundMismatch] = Field(description="Mismatches found in this pass")
    unavailable: bool = Field(description="The platform stopped answering during the pass")


class ReconciliationSkipped(BaseModel):
    skipped: str


class MismatchOut(_FromRow):
    id: int
    kind: str
    reference: str
    payment_id: str | None
    transaction_id: str | None
    expected_amount: int | None
    settled_amount: int | None
    settlement_date: str | None
    detected_at: Instant
    resolved_at: Instant | None
    resolved_by: str | None
    resolution: str | None
