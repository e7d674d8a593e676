"""Workflow's request and response models (the HTTP contract)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from dvc_common.events import ProcessingTime
from dvc_workflow.domain.lifecycle import allowed_actions, status_name
from dvc_workflow.models import Dossier, Process, StatusHistory


class ActionRequest(BaseModel):
    """What an officer or the applicant sends with an action (fields depend on the action)."""

    expected_status: int | None = Field(default=None, ge=1, le=10, description="409 when the status differs")
    expected_version: int | None = Field(default=None, ge=1, description="409 when the version differs")
    reason: str | None = Field(default=None, max_length=2000)
    items: list[Annotated[str, Field(min_length=1, max_length=500)]] | None = Field(
        default=None, max_length=50, description="request_supplement: the components to supplement (Mẫu 02)"
    )
    next_step: str | None = Field(
        default=None, description="forward: the branch to take (default: the first)"
    )
    to_step: str | None = Field(default=None, description="send_back: the earlier step")
    assignee_subject: str | None = None
    assignee_name: str | None = None
    department: str | None = None
    extension: ProcessingTime | None = Field(default=None, description="extend: extra processing time")
    delivery_method: Literal["counter", "post", "online"] | None = None
    agency_id: str | None = Field(default=None, description="transfer: the other agency (liên thông)")


class ProcedureView(BaseModel):
    code: str
    revision: str
    definition: dict[str, Any]


class CatalogImport(BaseModel):
    imported: int
    announced: int


PROCESS_STATES = {"draft": "Bản nháp", "published": "Đang áp dụng", "superseded": "Đã được thay thế"}


class ProcessView(BaseModel):
    id: int
    procedure_code: str
    agency_id: str
    version: int
    state: Literal["draft", "published", "superseded"] = Field(
        description="draft; published = the version in force (one per procedure and agency); superseded"
    )
    state_name: str = Field(description="The state in Vietnamese")
    in_force: bool = Field(description="New dossiers of this procedure and agency follow this version")
    definition: dict[str, Any]
    published_at: datetime | None
    superseded_at: datetime | None = Field(
        default=None, description="When a newer version replaced it (dossiers opened on it keep it)"
    )


def process_view(p: Process) -> ProcessView:
    assert p.id is not None
    return ProcessView(
        id=p.id,
        procedure_code=p.procedure_code,
        agency_id=p.agency_id,
        version=p.version,
        state=p.state,  # the column holds one of the three (validated)
        state_name=PROCESS_STATES.get(p.state, p.state),
        in_force=p.state == "published",
        definition=p.definition,
        published_at=p.published_at,
        superseded_at=p.superseded_at,
    )


class StatusEntry(BaseModel):
    status: int
    status_name: str
    changed_at: datetime
    note: str | None
    action: str | None = None
    actor_name: str | None = None


class DossierLifecycle(BaseModel):
    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    version: int
    step_id: str | None
    received_at: datetime | None
    appointment_at: datetime | None
    supplement_count: int
    extension_used: bool
    timeliness: str | None
    allowed_actions: list[str]
    history: list[StatusEntry]


def lifecycle_view(d: Dossier, history: Sequence[StatusHistory], *, public: bool = False) -> DossierLifecycle:
    """`public`: the lookup by code anyone may do shows statuses and times, not notes or names."""
    return DossierLifecycle(
        code=d.code,
        procedure_code=d.procedure_code,
        agency_id=d.agency_id,
        status=d.status,
        status_name=status_name(d.status),
        version=d.version,
        step_id=d.step_id,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        supplement_count=d.supplement_count,
        extension_used=d.extension_used,
        timeliness=d.timeliness,
        allowed_actions=[a.value for a in allowed_actions(d.status)],
        history=[
            StatusEntry(
                status=h.status,
                status_name=status_name(h.status),
                changed_at=h.changed_at,
                note=None if public else h.note,
                action=h.action,
                actor_name=None if public else h.actor_name,
            )
            for h in history
        ],
    )


class ControlSlipRow(BaseModel):
    """One step of the processing control slip (Mẫu 06)."""

    step_id: str
    step_name: str
    officer_name: str | None
    department: str | None
    received_at: datetime
    handed_on_at: datetime | None
    due_at: datetime | None
    color: str | None
    on_time: bool | None
    explanation: str | None


class DossierTimeline(BaseModel):
    lifecycle: DossierLifecycle
    deadline: dict[str, Any] | None
    clock: str | None
    timeliness_explanation: str | None
    control_slip: list[ControlSlipRow]


class QueueItem(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str | None = Field(default=None, description="The procedure's name in the catalog")
    applicant_name: str | None = Field(default=None, description="Who submitted the dossier")
    status: int
    status_name: str
    queue_label: str = Field(
        description="What the queue shows: the status name, or «Đã nộp bổ sung, chờ tiếp nhận lại» when the "
        "applicant uploaded the supplement requested"
    )
    supplement_arrived: bool = Field(
        description="The applicant uploaded the supplement (status 5, back here)"
    )
    step_id: str | None
    step_name: str | None = Field(default=None, description="The internal step's name")
    assignee_name: str | None
    department: str | None
    due_at: datetime
    appointment_at: datetime | None
    color: Literal["green", "red"]
    time_left_text: str
    time_left_seconds: int
    intake_overdue: bool
    version: int


class WorkQueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    first_broken_seq: int | None
    head_mismatch_seq: int | None
    message: str
