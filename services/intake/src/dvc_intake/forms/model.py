"""What each form intake issues says (pure data; the templates draw it, the service fills it in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from dvc_common.pdf import Letterhead


@dataclass(frozen=True)
class Applicant:
    name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Officer:
    name: str
    position: str | None = None


@dataclass(frozen=True)
class Component:
    """A required component of the procedure (thành phần hồ sơ), as the catalog names it."""

    name: str
    copies: str | None = None  # e.g. "01 bản chính"; None when the catalog does not say
    note: str | None = None


@dataclass(frozen=True)
class SlipFacts:
    """What every slip of one dossier repeats: who issues it, the dossier, the applicant, the QR."""

    code: str
    letterhead: Letterhead
    procedure_name: str
    applicant: Applicant
    issued_at: datetime  # the date line and the PDF's creation date
    tz: ZoneInfo
    lookup_url: str  # the public web look-up page of the dossier (what the QR opens)
    officer: Officer | None = None


@dataclass(frozen=True)
class ReceiptSlip:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (a new one after every supplement round)."""

    facts: SlipFacts
    components: Sequence[Component]
    processing_time: str | None  # the legal processing time, e.g. "15 ngày làm việc"
    received_at: datetime  # when the officer received it
    counted_from: datetime  # when the clock starts (after 15:00: the next working day)
    appointment_at: datetime
    explanation: str | None = None
    delivery: str | None = None  # counter | post | online; None: not chosen at submission
    offered_delivery: Sequence[str] = ()  # what the procedure offers (shown while none is chosen)
    postal_address: str | None = None
    postal_fee_vnd: int = 0
    supplement_round: int = 0  # 0: first receipt; n: received again after the n-th supplement
    sets: int = 1


@dataclass(frozen=True)
class SupplementRequest:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    facts: SlipFacts
    received_at: datetime | None  # when the officer received the dossier (the receipt supplemented)
    requested_at: datetime
    items: Sequence[Component]
    reason: str
    round: int = 1  # this is the n-th supplement request of the dossier
    counted_from: datetime | None = None  # the counting start, shown when it differs from received_at


@dataclass(frozen=True)
class Refusal:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    facts: SlipFacts
    refused_at: datetime
    reason: str
    legal_basis: str | None = None


@dataclass(frozen=True)
class Apology:
    """Mẫu 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (the extension, at most once)."""

    facts: SlipFacts
    received_at: datetime | None
    previous_appointment_at: datetime
    appointment_at: datetime
    reason: str
    signer: str | None = None  # the head of the agency who signs


@dataclass(frozen=True)
class StopNotice:
    """Mẫu 05: Thông báo dừng giải quyết hồ sơ."""

    facts: SlipFacts
    received_at: datetime | None
    stopped_at: datetime
    reason: str
    signer: str | None = None


@dataclass(frozen=True)
class FeeItem:
    kind: str  # phi | le_phi | buu_chinh
    name: str
    amount: int


@dataclass(frozen=True)
class BankReceipt:
    """The bank-signed state-budget receipt (GET_BILL of the national payment platform), as verified
    and kept by payments; the biên lai shows it."""

    letterhead: Letterhead
    dossier_code: str
    receipt_number: str  # SoChungTu
    symbol: str | None  # KyHieu
    amount: int
    paid_at: datetime
    tz: ZoneInfo
    transaction_id: str  # MaGiaoDich
    reference: str | None  # MaThamChieu
    bank: str | None  # NganHang
    content: str | None  # NoiDung
    payer_name: str | None
    fees: Sequence[FeeItem] = field(default_factory=tuple)
    beneficiary_account: str | None = None
    beneficiary_name: str | None = None
    beneficiary_bank: str | None = None
    sha256: str | None = None
    signature_algorithm: str = "Ed25519"
