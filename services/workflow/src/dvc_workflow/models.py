"""Workflow's tables (its own database `dvc_workflow`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Procedure(SQLModel, table=True):
    __tablename__ = "workflow_procedure"

    code: str = Field(primary_key=True, max_length=64)
    definition: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    revision: str = Field(max_length=64)
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Process(SQLModel, table=True):
    """One version of an agency's internal process for a procedure: draft, then published (immutable)."""

    __tablename__ = "workflow_process"
    __table_args__ = (UniqueConstraint("procedure_code", "agency_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=32)
    version: int
    state: str = Field(max_length=16)  # draft | published (in force) | superseded
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    superseded_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True)),
        description="When a newer published version took its place (dossiers opened on it keep it)",
    )


class Dossier(SQLModel, table=True):
    __tablename__ = "workflow_dossier"
    __table_args__ = (
        # Work queues: agency / department / person, ordered by due time then code (the cursor).
        Index(
            "ix_workflow_dossier_agency_queue",
            "agency_id",
            "due_at",
            "code",
            postgresql_where=text("in_queue"),
        ),
        Index(
            "ix_workflow_dossier_assignee_queue",
            "assignee_subject",
            "due_at",
            "code",
            postgresql_where=text("in_queue"),
        ),
        Index(
            "ix_workflow_dossier_department_queue",
            "agency_id",
            "assignee_department",
            "due_at",
            "code",
            postgresql_where=text("in_queue"),
        ),
        Index(
            "ix_workflow_dossier_step_agency_queue",
            "step_agency_id",
            "due_at",
            "code",
            postgresql_where=text("in_queue AND step_agency_id IS NOT NULL"),
        ),
        Index(
            "ix_workflow_dossier_receiving_queue",
            "receiving_agency_id",
            "due_at",
            "code",
            postgresql_where=text("in_queue AND receiving_agency_id IS NOT NULL"),
        ),
        Index(
            "ix_workflow_dossier_owner",
            "owner_subject",
            "submitted_at",
            postgresql_where=text("owner_subject IS NOT NULL"),
        ),
        Index(
            "ix_workflow_dossier_appointment",
            "appointment_at",
            postgresql_where=text("in_queue AND NOT overdue_sent"),
        ),
        Index(
            "ix_workflow_dossier_due_soon",
            "due_soon_at",
            postgresql_where=text("in_queue AND NOT due_soon_sent"),
        ),
        Index(
            "ix_workflow_dossier_step_due",
            "step_due_at",
            postgresql_where=text("in_queue AND NOT step_overdue_sent"),
        ),
        Index(
            "ix_workflow_dossier_intake_due",
            "intake_due_at",
            postgresql_where=text("status = 1 AND NOT intake_overdue_sent"),
        ),
    )

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str = Field(max_length=64, index=True)
    agency_id: str = Field(max_length=32, index=True)
    status: int
    version: int = 1
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    channel: int = Field(default=2, sa_column_kwargs={"server_default": text("2")})
    owner_subject: str | None = Field(default=None, max_length=128)
    process_id: int | None = Field(default=None, foreign_key="workflow_process.id")
    step_id: str | None = Field(default=None, max_length=40)
    step_started_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    step_due_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    step_agency_id: str | None = Field(
        default=None, max_length=32, description="The other agency handling an inter-agency step"
    )
    receiving_agency_id: str | None = Field(
        default=None,
        max_length=32,
        description="The one-stop desk receiving for the agency (e.g. the provincial public-service centre)",
    )
    assignee_subject: str | None = Field(default=None, max_length=64)
    assignee_name: str | None = Field(default=None, max_length=200)
    assignee_department: str | None = Field(default=None, max_length=200)
    received_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    appointment_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    intake_due_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    due_soon_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    due_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True)), description="What the queue sorts by"
    )
    in_queue: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    clock: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    deadline: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    supplement_count: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    extension_used: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    timeliness: str | None = Field(default=None, max_length=16)
    timeliness_explanation: str | None = None
    result_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    delivery_method: str | None = Field(default=None, max_length=16)
    result_documents: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
        description="The electronic result documents attached (dossier.result_attached.v1), for an online return",
    )
    due_soon_sent: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    overdue_sent: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    step_overdue_sent: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    intake_overdue_sent: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})


class StatusHistory(SQLModel, table=True):
    """The dossier's timeline: every action, with who did it."""

    __tablename__ = "workflow_status_history"

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(foreign_key="workflow_dossier.code", max_length=40, index=True)
    status: int
    changed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    note: str | None = None
    action: str | None = Field(default=None, max_length=32)
    actor_subject: str | None = Field(default=None, max_length=128)
    actor_name: str | None = Field(default=None, max_length=200)


class StepLog(SQLModel, table=True):
    """Processing control slip (Mẫu 06): every step, who, received, handed on, on time or late."""

    __tablename__ = "workflow_step_log"

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(foreign_key="workflow_dossier.code", max_length=40, index=True)
    step_id: str = Field(max_length=40)
    step_name: str = Field(max_length=200)
    officer_subject: str | None = Field(default=None, max_length=64)
    officer_name: str | None = Field(default=None, max_length=200)
    department: str | None = Field(default=None, max_length=200)
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    due_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    handed_on_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    color: str | None = Field(default=None, max_length=8)
    explanation: str | None = None


class AuditEntry(SQLModel, table=True):
    """Hash-chained audit log: each entry's hash covers its content and the previous entry's hash."""

    __tablename__ = "workflow_audit"

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    target: str = Field(max_length=64, index=True)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain head, recorded periodically: truncating the log behind it is detected too."""

    __tablename__ = "workflow_audit_head"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    hash: str = Field(max_length=64)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Lease(SQLModel, table=True):
    """The table of `dvc_common.lease`: the supervisor runs on whichever replica holds the unexpired lease."""

    __tablename__ = "workflow_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=64)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Agency(SQLModel, table=True):
    """Local copy of identity's agency tree (`agency.upserted.v1`): the letterhead of the control slip
    and the register names the agency and its superior body (the parent)."""

    __tablename__ = "workflow_agency"

    id: str = Field(primary_key=True, max_length=32)
    name: str
    parent_id: str | None = Field(default=None, max_length=32)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Applicant(SQLModel, table=True):
    """Who submitted a dossier (`dossier.contact_registered.v1`, internal), for the applicant columns of
    the dossier register (Mẫu 07) and the control slip; kept apart from the dossier because the contact
    event may arrive before the submission."""

    __tablename__ = "workflow_applicant"

    dossier_code: str = Field(primary_key=True, max_length=40)
    name: str
    phone: str | None = Field(default=None, max_length=20)


class Officer(SQLModel, table=True):
    """Local copy of identity's officers (`officer.upserted.v1`, internal): who may be assigned a
    dossier, in which agency and department."""

    __tablename__ = "workflow_officer"

    id: str = Field(primary_key=True, max_length=64)
    agency_id: str = Field(max_length=32, index=True)
    name: str
    position: str | None = None
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    department: str | None = Field(default=None, max_length=64, description="Department code")
    department_name: str | None = None
    active: bool = True
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
