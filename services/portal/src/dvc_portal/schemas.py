"""What the portal reads from the services' APIs (tolerant readers: unknown fields are ignored) and
the forms it reads from the browser."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FeeLine(ApiModel):
    kind: str
    name: str
    amount: int


class Procedure(ApiModel):
    """A procedure of the catalog (workflow's `definition`)."""

    code: str
    name: str
    field_name: str = ""
    agency_id: str
    agency_name: str = ""
    agency_level: str = ""
    processing_time: dict[str, Any] = Field(default_factory=dict)
    online_level: str = ""
    components: list[str] = Field(default_factory=list)
    fees: list[FeeLine] = Field(default_factory=list)
    result_documents: list[str] = Field(default_factory=list)
    signature_required: bool = False
    result_delivery: list[str] = Field(default_factory=list)
    eform_schema: dict[str, Any] | None = None


class ApplicantProcedure(ApiModel):
    """The procedure as intake tells applicants before they submit."""

    code: str
    name: str
    agency_name: str
    online_level: str
    signature_required: bool
    notice: str | None = None
    result_delivery: list[str] = Field(default_factory=list)


class Lookup(ApiModel):
    code: str
    procedure_code: str
    procedure_name: str | None = None
    agency_id: str
    agency_name: str | None = None
    status: int
    status_name: str
    submitted_at: datetime
    received_at: datetime | None = None
    appointment_at: datetime | None = None


class TokenPair(ApiModel):
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


class Officer(ApiModel):
    id: str
    username: str
    agency_id: str
    full_name: str
    position: str
    roles: list[str]
    email: str | None = None
    phone: str | None = None
    must_change_password: bool = False
    locked: bool = False
    population_access: bool = False
    department: str | None = None
    department_name: str | None = None


class Department(ApiModel):
    code: str
    name: str


class ProcessVersion(ApiModel):
    """A version of an agency's internal process for a procedure (workflow)."""

    id: int
    procedure_code: str
    agency_id: str
    version: int
    state: str
    state_name: str = ""
    in_force: bool = False
    definition: dict[str, Any] = Field(default_factory=dict)
    published_at: datetime | None = None


class Agency(ApiModel):
    id: str
    name: str
    level: str = ""
    parent_id: str | None = None
    active: bool = True


class QueueItem(ApiModel):
    code: str
    procedure_code: str
    status: int
    status_name: str
    step_id: str | None = None
    assignee_name: str | None = None
    department: str | None = None
    due_at: datetime
    appointment_at: datetime | None = None
    color: str
    time_left_text: str
    intake_overdue: bool = False
    version: int


class WorkQueuePage(ApiModel):
    items: list[QueueItem]
    next_cursor: str | None = None


class StatusEntry(ApiModel):
    status: int
    status_name: str
    changed_at: datetime
    note: str | None = None
    action: str | None = None
    actor_name: str | None = None


class Lifecycle(ApiModel):
    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    version: int
    step_id: str | None = None
    received_at: datetime | None = None
    appointment_at: datetime | None = None
    supplement_count: int = 0
    extension_used: bool = False
    timeliness: str | None = None
    allowed_actions: list[str] = Field(default_factory=list)
    history: list[StatusEntry] = Field(default_factory=list)


class ControlSlipRow(ApiModel):
    step_id: str
    step_name: str
    officer_name: str | None = None
    department: str | None = None
    received_at: datetime
    handed_on_at: datetime | None = None
    due_at: datetime | None = None
    color: str | None = None
    on_time: bool | None = None
    explanation: str | None = None


class Timeline(ApiModel):
    lifecycle: Lifecycle
    deadline: dict[str, Any] | None = None
    clock: str | None = None
    timeliness_explanation: str | None = None
    control_slip: list[ControlSlipRow] = Field(default_factory=list)


class DossierFile(ApiModel):
    position: int
    name: str
    content_type: str
    size: int
    scan_status: str
    digitised: bool = False
    signed: bool = False
    reused_from: str | None = None
    supplement_round: int = 0
    kind: str = "component"


class IntakeDossier(ApiModel):
    code: str
    procedure_code: str
    procedure_name: str | None = None
    agency_id: str
    channel: int
    status: int
    status_name: str
    submitted_at: datetime
    files: list[DossierFile] = Field(default_factory=list)


class Slip(ApiModel):
    id: int
    form: str
    title: str
    issued_at: datetime
    size: int


class OfficerDossier(BaseModel):
    """Everything an officer's dossier page shows, as the services answered it."""

    lifecycle: Lifecycle
    timeline: Timeline
    intake: IntakeDossier
    slips: list[Slip]
    procedure: Procedure | None


class Citizen(ApiModel):
    id: str
    kind: str
    identifier: str
    full_name: str


class MyDossier(BaseModel):
    lifecycle: Lifecycle
    procedure_name: str | None


class Receipt(ApiModel):
    """A payment receipt as intake keeps it for the dossier (its PDF is one of the slips)."""

    payment_id: str
    receipt_number: str
    amount: int
    issued_at: datetime
    pdf_url: str | None = None


class CitizenDossier(BaseModel):
    """Everything the applicant's dossier page shows, as workflow and intake answered it."""

    timeline: Timeline
    intake: IntakeDossier
    slips: list[Slip]
    receipts: list[Receipt]
    procedure_name: str | None

    @property
    def lifecycle(self) -> Lifecycle:
        return self.timeline.lifecycle

    def latest_note(self, status: int) -> str | None:
        """What the officer wrote when the dossier last entered `status` (e.g. the supplement list)."""
        notes = [h.note for h in self.lifecycle.history if h.status == status and h.note]
        return notes[-1] if notes else None
