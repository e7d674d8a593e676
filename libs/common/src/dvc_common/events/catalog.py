"""The event catalog: every routing key, its exchange and its versioned payload schema.

This module is the source of truth for integrators (docs/events.md and docs/asyncapi.yaml are
generated from it). Personal data never goes on the public exchange `dvc.events`; what only our own
services need travels on `dvc.internal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

PUBLIC_EXCHANGE = "dvc.events"
INTERNAL_EXCHANGE = "dvc.internal"

# National portal status codes (domain-rules §3).
NATIONAL_STATUS_NAMES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Nghĩa vụ tài chính",
    7: "Rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProcessingTime(Payload):
    value: float = Field(gt=0)
    unit: Literal["working_hours", "working_days", "calendar_days"]


class ProcedurePublished(Payload):
    code: str = Field(description="National procedure code, e.g. 1.003560.000.00.00.H56")
    name: str
    field_name: str
    agency_id: str = Field(description="Standard identifier of the competent agency (used in dossier codes)")
    agency_name: str
    processing_time: ProcessingTime
    online_level: Literal["full", "partial"]
    components: list[str]
    revision: str = Field(description="Content hash of this version of the procedure")
    fees: list[FeeLine] = Field(default_factory=list, description="Fees (phí, lệ phí) in VND")
    result_documents: list[str] = Field(default_factory=list, description="Result documents issued")
    signature_required: bool = Field(default=False, description="Forms must be digitally signed")
    result_delivery: list[Literal["counter", "post", "online"]] = Field(
        default_factory=list, description="How the result can be returned"
    )
    form_schema: dict[str, Any] | None = Field(
        default=None, description="JSON Schema (2020-12) of the procedure's e-form (tờ khai điện tử), if any"
    )


class SubmittedFile(Payload):
    name: str
    content_type: str
    size: int
    sha256: str


class DossierSubmitted(Payload):
    code: str
    procedure_code: str
    agency_id: str
    channel: Literal[1, 2, 3] = Field(description="1 in person, 2 online, 3 postal")
    applicant_kind: Literal[1, 2, 3, 4] = Field(
        description="1 citizen, 2 enterprise, 3 state agency, 4 other"
    )
    submitted_at: datetime
    files: list[SubmittedFile]
    national_reference: str | None = Field(
        default=None, description="The national portal's reference when the dossier was submitted there"
    )
    owner_subject: str | None = Field(
        default=None,
        description="Token subject of the authenticated applicant (VNeID); absent for anonymous submissions",
    )


class DossierContactRegistered(Payload):
    """Internal only: who to notify about a dossier and how to reach them."""

    code: str
    applicant_name: str
    email: EmailStr | None
    phone: str | None
    channels: list[Literal["email", "zalo"]] | None = Field(
        default=None,
        description="Notification channels the applicant chose at submission; absent: e-mail when given",
    )


class ProcessingStep(Payload):
    """Who handled the step that led to a status (an official acting in role; no applicant data)."""

    officer_name: str
    officer_position: str | None = None
    department: str | None = None
    content: str = Field(description="What was done, e.g. Tiếp nhận hồ sơ")
    started_at: datetime | None = None
    due_at: datetime | None = Field(default=None, description="End of the step's time budget")


class DossierStatusChanged(Payload):
    code: str
    procedure_code: str
    agency_id: str
    status: int = Field(ge=1, le=10, description="National portal status code 1–10")
    status_name: str
    previous_status: int | None = Field(default=None, ge=1, le=10)
    changed_at: datetime
    note: str | None = None
    received_at: datetime | None = Field(default=None, description="Receipt time (from status 2 on)")
    appointment_at: datetime | None = Field(default=None, description="Appointed return time (NgayHenTra)")
    step: ProcessingStep | None = Field(
        default=None, description="The processing step behind this change, mirrored to the national portal"
    )


class NationalFile(Payload):
    name: str
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Where the national portal keeps the document")


class NationalDossierReceived(Payload):
    """Internal only: a dossier submitted on the national portal, to be opened by intake (personal data)."""

    national_reference: str = Field(description="The national portal's reference of the submission")
    procedure_code: str
    applicant_name: str
    applicant_kind: Literal[1, 2, 3, 4]
    identity_number: str | None = None
    email: EmailStr | None = None
    phone: str | None = None
    summary: str | None = None
    submitted_at: datetime
    files: list[NationalFile]


class NotificationFailed(Payload):
    """A notification could not be delivered on a channel (no personal data: officers look it up)."""

    code: str = Field(description="Dossier code the notification was about")
    channel: Literal["email", "zalo"]
    event_type: str = Field(description="Routing key of the event the applicant was to be told about")
    reason: str = Field(description="Short machine-readable reason, e.g. not_following_oa, invalid_address")
    failed_at: datetime
    fallback_channel: Literal["email", "zalo"] | None = Field(
        default=None, description="The other registered channel tried instead, if any"
    )


AgencyLevel = Literal["province", "department", "district", "commune"]
OfficerRole = Literal[
    "one_stop_officer",
    "processing_officer",
    "department_head",
    "agency_leader",
    "agency_admin",
    "provincial_operator",
    "qa_focal_officer",
    "auditor",
]


class AgencyUpserted(Payload):
    """An agency of the tree was created or changed (event-carried state for other services)."""

    agency_id: str = Field(description="Standard identifier of the agency (used in dossier codes)")
    name: str
    level: AgencyLevel = Field(
        description="province, department (sở, ban, ngành), district (older data), commune"
    )
    parent_id: str | None
    active: bool
    updated_at: datetime


class OfficerUpserted(Payload):
    """An officer account was created or changed. Public-service information only: no e-mail or phone."""

    officer_id: str
    agency_id: str
    name: str
    position: str
    roles: list[OfficerRole]
    active: bool = Field(description="False while the account is locked")
    tokens_valid_after: datetime | None = Field(
        default=None,
        description="Access tokens of this officer issued at or before this instant must be refused",
    )
    updated_at: datetime


class OfficerLocked(Payload):
    """An officer account was locked: every token issued at or before `locked_at` must be refused."""

    officer_id: str
    agency_id: str
    locked_at: datetime
    reason: Literal["administrative", "moved", "left"]


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
    transaction_id: str = Field(description="MaGiaoDich of the national payment platform")
    bank_code: str | None = Field(default=None, description="MaNganHang")


class PaymentFailed(Payload):
    payment_id: str
    dossier_code: str
    agency_id: str
    amount: int = Field(gt=0, description="VND, an integer")
    failed_at: datetime
    error_code: str = Field(description="MaLoi of the national payment platform, or a local reason code")
    reason: str


class DossierReceived(Payload):
    """A dossier was received (or a supplemented one received again): receipt and appointment."""

    code: str
    procedure_code: str
    agency_id: str
    received_at: datetime = Field(description="Normalised receipt instant (after 15:00: next working day)")
    appointment_at: datetime
    appointment_rule: str = Field(description="Rule of the working-time engine that produced it")
    explanation: str = Field(description="Vietnamese explanation of the computation")
    supplement_count: int = Field(ge=0, description="Supplement requests so far (0 on first receipt)")


class DossierMilestone(Payload):
    """A lifecycle milestone (rejected, supplement requested, withdrawn, stopped, result ready/returned)."""

    code: str
    procedure_code: str
    agency_id: str
    at: datetime
    reason: str | None = None
    timeliness: Literal["early", "on_time", "late"] | None = Field(
        default=None, description="Classification once a result exists (legal rule)"
    )
    delivery_method: Literal["counter", "post", "online"] | None = None


class DossierExtended(Payload):
    code: str
    procedure_code: str
    agency_id: str
    extended_at: datetime
    previous_appointment_at: datetime
    appointment_at: datetime
    reason: str = Field(description="Reason given in the apology letter (Mẫu 04)")


class DossierDeadline(Payload):
    """Supervision: a deadline is near or has passed."""

    code: str
    procedure_code: str
    agency_id: str
    kind: Literal["intake", "processing", "step"] = Field(
        description="intake: 8 working hours to decide an online dossier; processing: the appointment; step"
    )
    due_at: datetime
    step: str | None = None


class QuestionAsked(Payload):
    """A question was accepted by the Q&A section (Lai Châu Điều 24–25). No asker data here."""

    question_id: str
    agency_id: str = Field(description="The agency the question is addressed to")
    procedure_code: str | None = None
    field_name: str | None = Field(default=None, description="Lĩnh vực, when the procedure is known")
    asked_at: datetime
    due_at: datetime = Field(description="Answer deadline from the working-time engine")
    deadline_rule: str = Field(description="qa.simple (2 working days) or qa.coordination (5)")


class QuestionAnswered(Payload):
    """An answer was published; it shows the answering agency and the answerer's name and position."""

    question_id: str
    agency_id: str
    agency_name: str
    answerer_name: str
    answerer_position: str
    answered_at: datetime
    on_time: bool


class QuestionDeclined(Payload):
    """The agency will not answer (the question breaks the rules); the reason is stated."""

    question_id: str
    agency_id: str
    reason: str
    declined_at: datetime


class QuestionDeadline(Payload):
    """A question still unanswered is close to (due_soon) or past (overdue) its deadline."""

    question_id: str
    agency_id: str
    status: Literal["pending", "forwarded", "drafted"]
    due_at: datetime


class QuestionContactRegistered(Payload):
    """Internal: how to reach the asker of a question (personal data; for notify only)."""

    question_id: str
    asker_name: str
    email: EmailStr | None = None
    phone: str | None = None


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


P = TypeVar("P", bound=Payload)


@dataclass(frozen=True, eq=False)  # identity: one object per routing key, usable as a dict key
class EventType(Generic[P]):
    aggregate: str
    name: str
    version: int
    payload: type[P]
    exchange: str
    summary: str
    example: P

    @property
    def routing_key(self) -> str:
        return f"{self.aggregate}.{self.name}.v{self.version}"

    @property
    def ce_type(self) -> str:
        return f"vn.dvc.{self.routing_key}"

    def parse(self, data: dict[str, Any]) -> P:
        return self.payload.model_validate(data)


_T0 = datetime.fromisoformat("2026-02-23T08:15:00+07:00")

PROCEDURE_PUBLISHED = EventType(
    "procedure",
    "published",
    1,
    ProcedurePublished,
    PUBLIC_EXCHANGE,
    "A procedure of the catalog was published or changed (event-carried state for other services).",
    ProcedurePublished(
        code="1.003560.000.00.00.H56",
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_name="Hoạt động xây dựng",
        agency_id="000.00.14.H56",
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        processing_time=ProcessingTime(value=15, unit="working_days"),
        online_level="full",
        components=["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng"],
        revision="9f2c1e0a",
    ),
)
DOSSIER_SUBMITTED = EventType(
    "dossier",
    "submitted",
    1,
    DossierSubmitted,
    PUBLIC_EXCHANGE,
    "An applicant submitted a dossier; it waits to be received (national status 1).",
    DossierSubmitted(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        channel=2,
        applicant_kind=1,
        submitted_at=_T0,
        files=[
            SubmittedFile(
                name="don-de-nghi.pdf", content_type="application/pdf", size=18231, sha256="ab" * 32
            )
        ],
    ),
)
DOSSIER_CONTACT_REGISTERED = EventType(
    "dossier",
    "contact_registered",
    1,
    DossierContactRegistered,
    INTERNAL_EXCHANGE,
    "Internal: the applicant's name and contact channels for a dossier (personal data).",
    DossierContactRegistered(
        code="000.00.14.H56-260223-0001",
        applicant_name="Nguyễn Văn An",
        email="an.nguyen@example.vn",
        phone="0912345678",
        channels=["email", "zalo"],
    ),
)
DOSSIER_STATUS_CHANGED = EventType(
    "dossier",
    "status_changed",
    1,
    DossierStatusChanged,
    PUBLIC_EXCHANGE,
    "The dossier's national status changed; carries the national status code 1–10.",
    DossierStatusChanged(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=1,
        status_name=NATIONAL_STATUS_NAMES[1],
        previous_status=None,
        changed_at=_T0,
    ),
)
NOTIFICATION_FAILED = EventType(
    "notification",
    "failed",
    1,
    NotificationFailed,
    PUBLIC_EXCHANGE,
    "A notification to the applicant failed for good on one channel (recorded, and another channel tried).",
    NotificationFailed(
        code="000.00.14.H56-260223-0001",
        channel="zalo",
        event_type="dossier.status_changed.v1",
        reason="not_following_oa",
        failed_at=_T0,
        fallback_channel="email",
    ),
)

AGENCY_UPSERTED = EventType(
    "agency",
    "upserted",
    1,
    AgencyUpserted,
    PUBLIC_EXCHANGE,
    "An agency (sở, ban, ngành, xã, phường) was created or changed; keep a local copy by agency_id.",
    AgencyUpserted(
        agency_id="000.00.14.H56",
        name="Sở Xây dựng tỉnh Lai Châu",
        level="department",
        parent_id="000.00.00.H56",
        active=True,
        updated_at=_T0,
    ),
)
OFFICER_UPSERTED = EventType(
    "officer",
    "upserted",
    1,
    OfficerUpserted,
    PUBLIC_EXCHANGE,
    "An officer account was created or its position, roles or state changed.",
    OfficerUpserted(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        name="Trần Thị Hoa",
        position="Chuyên viên Bộ phận Một cửa",
        roles=["one_stop_officer"],
        active=True,
        tokens_valid_after=_T0,
        updated_at=_T0,
    ),
)
OFFICER_LOCKED = EventType(
    "officer",
    "locked",
    1,
    OfficerLocked,
    PUBLIC_EXCHANGE,
    "An officer account was locked (moved, left, or by the administrator); refuse its tokens at once.",
    OfficerLocked(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        locked_at=_T0,
        reason="moved",
    ),
)

NATIONAL_DOSSIER_RECEIVED = EventType(
    "national",
    "dossier_received",
    1,
    NationalDossierReceived,
    INTERNAL_EXCHANGE,
    "Internal: a dossier submitted on the national portal, fetched by sync-national for intake (personal data).",
    NationalDossierReceived(
        national_reference="QG-260223-000001",
        procedure_code="1.003560.000.00.00.H56",
        applicant_name="Lò Thị Mai",
        applicant_kind=1,
        identity_number="011190000123",
        email="mai.lo@example.vn",
        phone="0987654321",
        summary="Đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
        submitted_at=_T0,
        files=[
            NationalFile(
                name="don-de-nghi.pdf",
                content_type="application/pdf",
                size=18231,
                sha256="cd" * 32,
                url="https://dichvucong.gov.vn/tep/QG-260223-000001/1",
            )
        ],
    ),
)

_PAYMENT = dict(
    payment_id="TT-260223-000001", dossier_code="000.00.14.H56-260223-0001", agency_id="000.00.14.H56"
)

PAYMENT_REQUESTED = EventType(
    "payment",
    "requested",
    1,
    PaymentRequested,
    PUBLIC_EXCHANGE,
    "A fee must be paid for a dossier (workflow waits in national status 6 until it is).",
    PaymentRequested(
        **_PAYMENT,
        procedure_code="1.003560.000.00.00.H56",
        amount=150000,
        fee_lines=[FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép xây dựng", amount=150000)],
        requested_at=_T0,
    ),
)
PAYMENT_COMPLETED = EventType(
    "payment",
    "completed",
    1,
    PaymentCompleted,
    PUBLIC_EXCHANGE,
    "A payment was verified with the national payment platform; the workflow may continue.",
    PaymentCompleted(**_PAYMENT, amount=150000, paid_at=_T0, transaction_id="GD0000123456", bank_code="VCB"),
)
PAYMENT_FAILED = EventType(
    "payment",
    "failed",
    1,
    PaymentFailed,
    PUBLIC_EXCHANGE,
    "A payment attempt failed or was refused; the applicant may try again.",
    PaymentFailed(
        **_PAYMENT, amount=150000, failed_at=_T0, error_code="24", reason="Khách hàng hủy giao dịch"
    ),
)

_DOSSIER = dict(
    code="000.00.14.H56-260223-0001", procedure_code="1.003560.000.00.00.H56", agency_id="000.00.14.H56"
)
_T1 = datetime.fromisoformat("2026-03-16T08:15:00+07:00")


def _milestone(name: str, summary: str, **example: Any) -> EventType[DossierMilestone]:
    return EventType(
        "dossier",
        name,
        1,
        DossierMilestone,
        PUBLIC_EXCHANGE,
        summary,
        DossierMilestone(**_DOSSIER, **example),
    )


DOSSIER_RECEIVED = EventType(
    "dossier",
    "received",
    1,
    DossierReceived,
    PUBLIC_EXCHANGE,
    "A dossier was received (status 2), or received again after a supplement (clock restarted from zero).",
    DossierReceived(
        **_DOSSIER,
        received_at=_T0,
        appointment_at=_T1,
        appointment_rule="appointment.working_days",
        explanation="Tiếp nhận lúc 08:15 Thứ Hai 23/02/2026; cộng 15 ngày làm việc",
        supplement_count=0,
    ),
)
DOSSIER_REJECTED = _milestone(
    "rejected",
    "The dossier was not received or rejected, with the reason (status 3).",
    at=_T0,
    reason="Sai thủ tục",
)
DOSSIER_SUPPLEMENT_REQUESTED = _milestone(
    "supplement_requested",
    "The applicant must supplement the dossier (status 5); the processing clock is paused.",
    at=_T0,
    reason="Thiếu bản vẽ mặt bằng",
)
DOSSIER_WITHDRAWN = _milestone("withdrawn", "The applicant withdrew the dossier (status 7).", at=_T0)
DOSSIER_STOPPED = _milestone("stopped", "Processing was stopped (status 8).", at=_T0, reason="Theo đề nghị")
DOSSIER_RESULT_READY = _milestone(
    "result_ready", "The result is ready (status 9), with its classification.", at=_T1, timeliness="on_time"
)
DOSSIER_RESULT_RETURNED = _milestone(
    "result_returned", "The result was returned (status 10).", at=_T1, delivery_method="counter"
)
DOSSIER_EXTENDED = EventType(
    "dossier",
    "extended",
    1,
    DossierExtended,
    PUBLIC_EXCHANGE,
    "The appointment was extended once, before the deadline, with an apology letter (Mẫu 04).",
    DossierExtended(
        **_DOSSIER,
        extended_at=_T0,
        previous_appointment_at=_T0,
        appointment_at=_T1,
        reason="Cần xác minh thực địa",
    ),
)


def _deadline(name: str, summary: str, kind: Any) -> EventType[DossierDeadline]:
    return EventType(
        "dossier",
        name,
        1,
        DossierDeadline,
        PUBLIC_EXCHANGE,
        summary,
        DossierDeadline(
            **_DOSSIER, kind=kind, due_at=_T1, step="Thẩm định hồ sơ" if kind == "step" else None
        ),
    )


DOSSIER_DUE_SOON = _deadline("due_soon", "The appointment falls on the current working day.", "processing")
DOSSIER_OVERDUE = _deadline(
    "overdue",
    "A deadline passed: the appointment, or 8 working hours to decide an online dossier.",
    "processing",
)
DOSSIER_STEP_OVERDUE = _deadline("step_overdue", "An internal step exceeded its time budget (red).", "step")

_QUESTION_ID = "7b1e4c2a-9d3f-4a6b-8c5e-1f2a3b4c5d6e"
_DUE = datetime.fromisoformat("2026-02-25T08:15:00+07:00")

QUESTION_ASKED = EventType(
    "question",
    "asked",
    1,
    QuestionAsked,
    PUBLIC_EXCHANGE,
    "A citizen or organisation asked a question of an agency in the Q&A section (deadline included).",
    QuestionAsked(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        procedure_code="1.003560.000.00.00.H56",
        field_name="Hoạt động xây dựng",
        asked_at=_T0,
        due_at=_DUE,
        deadline_rule="qa.simple",
    ),
)
QUESTION_ANSWERED = EventType(
    "question",
    "answered",
    1,
    QuestionAnswered,
    PUBLIC_EXCHANGE,
    "A question's answer was published (public, for reference only, no legal force).",
    QuestionAnswered(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        answerer_name="Trần Thị Hoa",
        answerer_position="Chuyên viên Văn phòng Sở",
        answered_at=_DUE,
        on_time=True,
    ),
)
QUESTION_DECLINED = EventType(
    "question",
    "declined",
    1,
    QuestionDeclined,
    PUBLIC_EXCHANGE,
    "The agency declined a question that breaks the rules of the Q&A section, stating the reason.",
    QuestionDeclined(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        reason="Câu hỏi không thuộc phạm vi thủ tục hành chính của Sở Xây dựng.",
        declined_at=_DUE,
    ),
)
QUESTION_DUE_SOON = EventType(
    "question",
    "due_soon",
    1,
    QuestionDeadline,
    PUBLIC_EXCHANGE,
    "A question's answer deadline is less than half a working day away.",
    QuestionDeadline(question_id=_QUESTION_ID, agency_id="000.00.14.H56", status="pending", due_at=_DUE),
)
QUESTION_OVERDUE = EventType(
    "question",
    "overdue",
    1,
    QuestionDeadline,
    PUBLIC_EXCHANGE,
    "A question was not answered or declined by its deadline.",
    QuestionDeadline(question_id=_QUESTION_ID, agency_id="000.00.14.H56", status="forwarded", due_at=_DUE),
)
QUESTION_CONTACT_REGISTERED = EventType(
    "question",
    "contact_registered",
    1,
    QuestionContactRegistered,
    INTERNAL_EXCHANGE,
    "Internal: the asker's name and contact details for a question (personal data).",
    QuestionContactRegistered(
        question_id=_QUESTION_ID, asker_name="Nguyễn Văn An", email="an.nguyen@example.vn", phone="0912345678"
    ),
)

PAYMENT_MISMATCH = EventType(
    "payment",
    "mismatch",
    1,
    PaymentMismatch,
    PUBLIC_EXCHANGE,
    "Reconciliation with the platform's settlement list found a disagreement for the accountant to resolve.",
    PaymentMismatch(
        **_PAYMENT,
        reference="TT-260223-000001-1",
        transaction_id="GD0000123456",
        kind="paid_not_recorded",
        expected_amount=150000,
        settled_amount=150000,
        detected_at=_T0,
        settlement_date="2026-02-23",
    ),
)
PAYMENT_RECEIPT_ISSUED = EventType(
    "payment",
    "receipt_issued",
    1,
    PaymentReceiptIssued,
    INTERNAL_EXCHANGE,
    "Internal: the bank-signed receipt of a verified payment, to attach to the dossier and the payer's data store.",
    PaymentReceiptIssued(
        **_PAYMENT,
        payer_subject="vneid:001190000123",
        receipt_number="CT0000123456",
        amount=150000,
        sha256="ef" * 32,
        url="/api/v1/payments/TT-260223-000001/receipt",
        issued_at=_T0,
    ),
)


class DossierResubmitted(Payload):
    """The applicant uploaded the supplement requested (status 5); earlier versions are kept."""

    code: str
    procedure_code: str
    agency_id: str
    resubmitted_at: datetime
    supplement_round: int = Field(ge=1, description="1 for the first supplement, 2 for the second, …")
    files: list[SubmittedFile] = Field(description="The components uploaded in this round")


DOSSIER_RESUBMITTED = EventType(
    "dossier",
    "resubmitted",
    1,
    DossierResubmitted,
    PUBLIC_EXCHANGE,
    "The applicant supplemented the dossier; it waits for the one-stop officer to receive it again.",
    DossierResubmitted(
        **_DOSSIER,
        resubmitted_at=_T1,
        supplement_round=1,
        files=[
            SubmittedFile(
                name="ban-ve-mat-bang.pdf", content_type="application/pdf", size=52011, sha256="cd" * 32
            )
        ],
    ),
)


CATALOG: tuple[EventType[Any], ...] = (
    PROCEDURE_PUBLISHED,
    DOSSIER_SUBMITTED,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    NATIONAL_DOSSIER_RECEIVED,
    NOTIFICATION_FAILED,
    AGENCY_UPSERTED,
    OFFICER_UPSERTED,
    OFFICER_LOCKED,
    PAYMENT_REQUESTED,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_MISMATCH,
    PAYMENT_RECEIPT_ISSUED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_EXTENDED,
    DOSSIER_WITHDRAWN,
    DOSSIER_STOPPED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_DUE_SOON,
    DOSSIER_OVERDUE,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_RESUBMITTED,
    QUESTION_ASKED,
    QUESTION_ANSWERED,
    QUESTION_DECLINED,
    QUESTION_DUE_SOON,
    QUESTION_OVERDUE,
    QUESTION_CONTACT_REGISTERED,
)
BY_TYPE: dict[str, EventType[Any]] = {event.ce_type: event for event in CATALOG}
