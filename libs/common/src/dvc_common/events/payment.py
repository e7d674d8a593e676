"""Payment events: fees requested, payments verified or failed, reconciliation, state-budget receipts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from dvc_common.events.base import INTERNAL, PUBLIC, T0, EventType, Payload


class FeeLine(Payload):
    kind: Literal["phi", "le_phi", "buu_chinh"] = Field(description="phí, lệ phí, or the postal fee")
    name: str
    amount: int = Field(ge=0, description="VND, an integer")


class PaymentRequested(Payload):
    """A fee to pay for a dossier. Payments creates it when a dossier enters national status 6
    (awaiting financial obligation) or at submission for procedures that charge up front."""

    payment_id: str
    dossier_code: str
    agency_id: str
    procedure_code: str
    amount: int = Field(gt=0, description="Total in VND, an integer")
    fee_lines: list[FeeLine]
    requested_at: datetime


class PaymentCompleted(Payload):
    """A payment verified with the national payment platform (checksum and server-side QUERY)."""

    payment_id: str
    dossier_code: str
    agency_id: str
    amount: int = Field(gt=0, description="VND, an integer")
    paid_at: datetime
    transaction_id: str = Field(
        description="MaGiaoDich of the national payment platform (a counter payment: its receipt number)"
    )
    bank_code: str | None = Field(default=None, description="MaNganHang")
    method: Literal["online", "cash", "card"] = Field(
        default="online",
        description="online: through the national payment platform; cash or card: taken at the one-stop "
        "counter and recorded by its officer",
    )


class PaymentFailed(Payload):
    payment_id: str
    dossier_code: str
    agency_id: str
    amount: int = Field(gt=0, description="VND, an integer")
    failed_at: datetime
    error_code: str = Field(description="MaLoi of the national payment platform, or a local reason code")
    reason: str


class PaymentMismatch(Payload):
    """Reconciliation found our records and the platform's settlement list disagree (for the accountant)."""

    payment_id: str | None = Field(
        default=None, description="Our payment request, when the reference is ours"
    )
    dossier_code: str | None = None
    agency_id: str | None = None
    reference: str = Field(description="MaThamChieu of the transaction")
    transaction_id: str | None = Field(default=None, description="MaGiaoDich of the platform")
    kind: Literal[
        "paid_not_recorded",
        "recorded_not_settled",
        "amount_mismatch",
        "duplicate_payment",
        "unknown_reference",
        "paid_after_cancellation",
    ]
    expected_amount: int | None = Field(default=None, description="VND, an integer")
    settled_amount: int | None = Field(default=None, description="VND, an integer")
    detected_at: datetime
    settlement_date: str | None = Field(default=None, description="YYYY-MM-DD of the settlement list")


class PaymentReceiptIssued(Payload):
    """Internal: the bank-signed state-budget receipt of a payment, for the dossier and the payer's data store."""

    payment_id: str
    dossier_code: str
    agency_id: str
    payer_subject: str | None = Field(default=None, description="Identity subject of the citizen who paid")
    receipt_number: str = Field(description="SoChungTu of the state-budget receipt")
    amount: int = Field(gt=0, description="VND, an integer")
    sha256: str = Field(description="SHA-256 of the receipt's canonical JSON")
    url: str = Field(description="Where payments serves the receipt (authorised)")
    issued_at: datetime
    document: dict[str, Any] | None = Field(
        default=None,
        description="The receipt as the bank signed it and payments verified it (for the biên lai)",
    )


_PAYMENT = dict(
    payment_id="TT-260223-000001", dossier_code="000.00.14.H56-260223-0001", agency_id="000.00.14.H56"
)


PAYMENT_REQUESTED = EventType(
    "payment",
    "requested",
    1,
    PaymentRequested,
    PUBLIC,
    "A fee must be paid for a dossier (workflow waits in national status 6 until it is).",
    PaymentRequested(
        **_PAYMENT,
        procedure_code="1.003560.000.00.00.H56",
        amount=150000,
        fee_lines=[FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép xây dựng", amount=150000)],
        requested_at=T0,
    ),
    producer="payments",
    subject_stream="dossier",
)


PAYMENT_COMPLETED = EventType(
    "payment",
    "completed",
    1,
    PaymentCompleted,
    PUBLIC,
    "A payment was verified with the national payment platform; the workflow may continue.",
    PaymentCompleted(**_PAYMENT, amount=150000, paid_at=T0, transaction_id="GD0000123456", bank_code="VCB"),
    producer="payments",
    subject_stream="dossier",
)


PAYMENT_FAILED = EventType(
    "payment",
    "failed",
    1,
    PaymentFailed,
    PUBLIC,
    "A payment attempt failed or was refused; the applicant may try again.",
    PaymentFailed(
        **_PAYMENT, amount=150000, failed_at=T0, error_code="24", reason="Khách hàng hủy giao dịch"
    ),
    producer="payments",
    subject_stream="dossier",
)


PAYMENT_MISMATCH = EventType(
    "payment",
    "mismatch",
    1,
    PaymentMismatch,
    PUBLIC,
    "Reconciliation with the platform's settlement list found a disagreement for the accountant to resolve.",
    PaymentMismatch(
        **_PAYMENT,
        reference="TT-260223-000001-1",
        transaction_id="GD0000123456",
        kind="paid_not_recorded",
        expected_amount=150000,
        settled_amount=150000,
        detected_at=T0,
        settlement_date="2026-02-23",
    ),
    producer="payments",
    subject_stream="dossier",
)


PAYMENT_RECEIPT_ISSUED = EventType(
    "payment",
    "receipt_issued",
    1,
    PaymentReceiptIssued,
    INTERNAL,
    "Internal: the bank-signed receipt of a verified payment, to attach to the dossier and the payer's data store.",
    PaymentReceiptIssued(
        **_PAYMENT,
        payer_subject="vneid:001190000123",
        receipt_number="CT0000123456",
        amount=150000,
        sha256="ef" * 32,
        url="/api/v1/payments/TT-260223-000001/receipt",
        issued_at=T0,
    ),
    producer="payments",
    subject_stream="dossier",
)
