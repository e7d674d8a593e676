"""Dossier events: submission, contacts, national status, receipt, milestones, deadlines, supplements."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import EmailStr, Field

from dvc_common.events.base import INTERNAL, PUBLIC, T0, T1, EventType, Payload
from dvc_common.events.national import NATIONAL_STATUS_NAMES, NationalStatus


class SubmittedFile(Payload):
    name: str = Field(
        description="The uploaded file's (sanitised) name: personal data (names, ID numbers), internal only"
    )
    content_type: str
    size: int
    sha256: str


class DossierSubmitted(Payload):
    code: str
    procedure_code: str
    agency_id: str = Field(description="The performing agency chosen among the procedure's `agencies`")
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
    result_delivery: Literal["online", "counter", "post"] | None = Field(
        default=None,
        description="How the applicant chose to receive the result (the postal fee follows `post`); "
        "absent when not chosen",
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

    @property
    def national_status(self) -> NationalStatus:
        return NationalStatus(self.status)

    @property
    def previous_national_status(self) -> NationalStatus | None:
        return None if self.previous_status is None else NationalStatus(self.previous_status)


class DossierStepChanged(Payload):
    """An internal step changed while the national status stayed the same (assignment, hand-over to
    the next step, send-back to an earlier step, transfer to another agency): the national portal's
    processing history (QuaTrinhXuLy) records it though no status moved."""

    code: str
    procedure_code: str
    agency_id: str
    status: int = Field(ge=1, le=10, description="National status, unchanged by this step")
    status_name: str
    action: Literal["assign", "forward", "send_back", "transfer", "payment_completed"] = Field(
        description="What the officer did"
    )
    changed_at: datetime
    step_id: str | None = Field(default=None, description="The internal step the dossier is now on")
    step_name: str | None = None
    step_agency_id: str | None = Field(
        default=None, description="The other agency handling an inter-agency step (liên thông)"
    )
    assignee_name: str | None = Field(default=None, description="The officer now handling it, if assigned")
    received_at: datetime | None = None
    appointment_at: datetime | None = None
    step: ProcessingStep = Field(description="Who did it and what, as mirrored to the national portal")


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
    recorded_at: datetime | None = Field(
        default=None,
        description="When the officer recorded the receipt (differs from received_at after 15:00)",
    )
    officer_name: str | None = Field(
        default=None, description="The one-stop officer who received the dossier (signs Mẫu 01)"
    )


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
    officer_name: str | None = Field(
        default=None, description="The officer who decided (signs the supplement request or refusal slip)"
    )
    items: list[str] | None = Field(
        default=None, description="Supplement requested: the components to supplement or complete (Mẫu 02)"
    )
    result_issued_at: datetime | None = Field(
        default=None,
        description="Result returned: when the result itself was issued (the dossier resolved, status 9), "
        "not the return time",
    )


class ResultDocument(Payload):
    """One electronic result document attached for an online return."""

    position: int = Field(ge=1, description="Its position among the dossier's files at intake")
    name: str = Field(description="Its file name (internal: may name the applicant)")
    sha256: str
    size: int = Field(ge=0)


class DossierResultAttached(Payload):
    """Internal: the handling agency attached the electronic result (it is in the owner's data store);
    an online return needs it."""

    code: str
    agency_id: str
    attached_at: datetime
    documents: list[ResultDocument] = Field(min_length=1)


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


class DossierResubmitted(Payload):
    """The applicant uploaded the supplement requested (status 5); earlier versions are kept."""

    code: str
    procedure_code: str
    agency_id: str
    resubmitted_at: datetime
    supplement_round: int = Field(ge=1, description="1 for the first supplement, 2 for the second, …")
    files: list[SubmittedFile] = Field(description="The components uploaded in this round")


_DOSSIER = dict(
    code="000.00.14.H56-260223-0001", procedure_code="1.003560.000.00.00.H56", agency_id="000.00.14.H56"
)

DOSSIER_SUBMITTED = EventType(
    "dossier",
    "submitted",
    1,
    DossierSubmitted,
    PUBLIC,
    "An applicant submitted a dossier; it waits to be received (national status 1).",
    DossierSubmitted(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        channel=2,
        applicant_kind=1,
        submitted_at=T0,
        files=[
            SubmittedFile(
                name="don-de-nghi.pdf", content_type="application/pdf", size=18231, sha256="ab" * 32
            )
        ],
    ),
    producer="intake",
)


DOSSIER_CONTACT_REGISTERED = EventType(
    "dossier",
    "contact_registered",
    1,
    DossierContactRegistered,
    INTERNAL,
    "Internal: the applicant's name and contact channels for a dossier (personal data).",
    DossierContactRegistered(
        code="000.00.14.H56-260223-0001",
        applicant_name="Nguyễn Văn An",
        email="an.nguyen@example.vn",
        phone="0912345678",
        channels=["email", "zalo"],
    ),
    producer="intake",
)


DOSSIER_STATUS_CHANGED = EventType(
    "dossier",
    "status_changed",
    1,
    DossierStatusChanged,
    PUBLIC,
    "The dossier's national status changed; carries the national status code 1–10.",
    DossierStatusChanged(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=1,
        status_name=NATIONAL_STATUS_NAMES[1],
        previous_status=None,
        changed_at=T0,
    ),
    producer="workflow",
)


DOSSIER_STEP_CHANGED = EventType(
    "dossier",
    "step_changed",
    1,
    DossierStepChanged,
    INTERNAL,
    "An internal step changed without a national status change (assign, forward between steps, send "
    "back, transfer); for the national portal's processing history.",
    DossierStepChanged(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=4,
        status_name=NATIONAL_STATUS_NAMES[4],
        action="forward",
        changed_at=T1,
        step_id="xem-xet",
        step_name="Xem xét, trình ký",
        step=ProcessingStep(
            officer_name="Nguyễn Văn Bình",
            department="Phòng Quản lý xây dựng",
            content="Chuyển bước «Xem xét, trình ký»",
            started_at=T1,
            due_at=T1,
        ),
    ),
    producer="workflow",
)


DOSSIER_RESULT_ATTACHED = EventType(
    "dossier",
    "result_attached",
    1,
    DossierResultAttached,
    INTERNAL,
    "The electronic result documents were attached to the dossier (into the owner's data store); "
    "workflow lets the result be returned online once they are.",
    DossierResultAttached(
        code="000.00.14.H56-260223-0001",
        agency_id="000.00.14.H56",
        attached_at=T1,
        documents=[ResultDocument(position=3, name="giay-phep-xay-dung.pdf", sha256="ab" * 32, size=48210)],
    ),
    producer="intake",
)


def _milestone(name: str, summary: str, **example: Any) -> EventType[DossierMilestone]:
    return EventType(
        "dossier",
        name,
        1,
        DossierMilestone,
        PUBLIC,
        summary,
        DossierMilestone(**_DOSSIER, **example),
        producer="workflow",
    )


DOSSIER_RECEIVED = EventType(
    "dossier",
    "received",
    1,
    DossierReceived,
    PUBLIC,
    "A dossier was received (status 2), or received again after a supplement (clock restarted from zero).",
    DossierReceived(
        **_DOSSIER,
        received_at=T0,
        appointment_at=T1,
        appointment_rule="appointment.working_days",
        explanation="Tiếp nhận lúc 08:15 Thứ Hai 23/02/2026; cộng 15 ngày làm việc",
        supplement_count=0,
    ),
    producer="workflow",
)


DOSSIER_REJECTED = _milestone(
    "rejected",
    "The dossier was not received or rejected, with the reason (status 3).",
    at=T0,
    reason="Sai thủ tục",
)


DOSSIER_SUPPLEMENT_REQUESTED = _milestone(
    "supplement_requested",
    "The applicant must supplement the dossier (status 5); the processing clock is paused.",
    at=T0,
    reason="Thiếu bản vẽ mặt bằng",
)


DOSSIER_WITHDRAWN = _milestone("withdrawn", "The applicant withdrew the dossier (status 7).", at=T0)


DOSSIER_STOPPED = _milestone("stopped", "Processing was stopped (status 8).", at=T0, reason="Theo đề nghị")


DOSSIER_RESULT_READY = _milestone(
    "result_ready", "The result is ready (status 9), with its classification.", at=T1, timeliness="on_time"
)


DOSSIER_RESULT_RETURNED = _milestone(
    "result_returned", "The result was returned (status 10).", at=T1, delivery_method="counter"
)


DOSSIER_EXTENDED = EventType(
    "dossier",
    "extended",
    1,
    DossierExtended,
    PUBLIC,
    "The appointment was extended once, before the deadline, with an apology letter (Mẫu 04).",
    DossierExtended(
        **_DOSSIER,
        extended_at=T0,
        previous_appointment_at=T0,
        appointment_at=T1,
        reason="Cần xác minh thực địa",
    ),
    producer="workflow",
)


def _deadline(name: str, summary: str, kind: Any) -> EventType[DossierDeadline]:
    return EventType(
        "dossier",
        name,
        1,
        DossierDeadline,
        PUBLIC,
        summary,
        DossierDeadline(**_DOSSIER, kind=kind, due_at=T1, step="Thẩm định hồ sơ" if kind == "step" else None),
        producer="workflow",
    )


DOSSIER_DUE_SOON = _deadline("due_soon", "The appointment falls on the current working day.", "processing")


DOSSIER_OVERDUE = _deadline(
    "overdue",
    "A deadline passed: the appointment, or 8 working hours to decide an online dossier.",
    "processing",
)


DOSSIER_STEP_OVERDUE = _deadline("step_overdue", "An internal step exceeded its time budget (red).", "step")


DOSSIER_RESUBMITTED = EventType(
    "dossier",
    "resubmitted",
    1,
    DossierResubmitted,
    PUBLIC,
    "The applicant supplemented the dossier; it waits for the one-stop officer to receive it again.",
    DossierResubmitted(
        **_DOSSIER,
        resubmitted_at=T1,
        supplement_round=1,
        files=[
            SubmittedFile(
                name="ban-ve-mat-bang.pdf", content_type="application/pdf", size=52011, sha256="cd" * 32
            )
        ],
    ),
    producer="intake",
)
