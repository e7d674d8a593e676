"""Notify's tables (its own database `dvc_notify`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Contact(SQLModel, table=True):
    """Local copy of how to reach a dossier's applicant (from `dossier.contact_registered.v1`)."""

    __tablename__ = "notify_contact"

    dossier_code: str = Field(primary_key=True, max_length=40)
    applicant_name: str
    email: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    # The channels chosen at submission; NULL: not stated (e-mail when an address is given).
    channels: list[str] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Delivery(SQLModel, table=True):
    """One notification of one event to one recipient on one channel, and what became of it.

    queued → sending → sent | failed; sending → queued again after a transient failure. The row
    holds the rendered message, so a retry or a resend after a crash sends exactly the same thing.
    """

    __tablename__ = "notify_delivery"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "channel", "recipient", name="uq_notify_delivery_event_channel_recipient"
        ),
        Index(
            "ix_notify_delivery_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('queued', 'sending')"),
        ),
        Index("ix_notify_delivery_failed", "updated_at", postgresql_where=text("status = 'failed'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: UUID
    event_type: str = Field(max_length=128)
    dossier_code: str = Field(max_length=40, index=True)
    # The handling agency of the dossier (or question) the event was about: who may read the row.
    agency_id: str | None = Field(default=None, max_length=64, index=True)
    channel: str = Field(max_length=16)
    recipient: str = Field(description="E-mail address or phone; empty when none was registered")
    status: str = Field(max_length=16, description="queued | sending | sent | failed")
    reason: str | None = Field(default=None, max_length=64, description="Why it failed, machine-readable")
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    lease_until: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    template_version: int | None = None
    subject: str
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str | None = Field(default=None, sa_column=Column(Text))
    zalo_template_id: str | None = Field(default=None, max_length=64)
    zalo_data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    message_id: str | None = None
    trace_id: str | None = Field(default=None, max_length=32)
    traceparent: str | None = None
    provider_answer: str | None = Field(default=None, sa_column=Column(Text))
    fallback_of: int | None = None
    # Who the message is for: the applicant or asker (contact of `dossier_code`), an officer about
    # their work, or an account holder (their credentials; the stored body is redacted).
    audience: str = Field(
        default="applicant",
        max_length=16,
        sa_column_kwargs={"server_default": "applicant"},
        description="applicant | officer | account",
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Template(SQLModel, table=True):
    """A version of the template for one event type and channel; the highest version is in use."""

    __tablename__ = "notify_template"
    __table_args__ = (UniqueConstraint("event_type", "channel", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=128)
    channel: str = Field(max_length=16)
    version: int
    subject: str | None = None
    body_text: str | None = Field(default=None, sa_column=Column(Text))
    body_html: str | None = Field(default=None, sa_column=Column(Text))
    zalo_template_id: str | None = Field(default=None, max_length=64)
    zalo_data: dict[str, str] | None = Field(default=None, sa_column=Column(JSONB))
    author: str = Field(max_length=128, description="Who saved it (subject of the token, or 'seed')")
    note: str | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ZaloToken(SQLModel, table=True):
    """The OA's current tokens: Zalo refresh tokens are valid once, so the newest must be kept."""

    __tablename__ = "notify_zalo_token"

    id: int = Field(default=1, primary_key=True)
    access_token: str | None = None
    refresh_token: str
    expires_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class NotifiedEvent(SQLModel, table=True):
    """The events notified about, kept so a fallback channel can render its own template later."""

    __tablename__ = "notify_event"

    event_id: UUID = Field(primary_key=True)
    event: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ProcedureName(SQLModel, table=True):
    """Local copy of the catalog (`procedure.published.v1`): a procedure's name, and which agency's
    one-stop desk receives for each performing agency."""

    __tablename__ = "notify_procedure"

    code: str = Field(primary_key=True, max_length=64)
    name: str
    # Performing agency id → receiving agency id (itself when it receives its own dossiers).
    receivers: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AgencyName(SQLModel, table=True):
    """Local copy of identity's agency tree (`agency.upserted.v1`): names for the letters."""

    __tablename__ = "notify_agency"

    agency_id: str = Field(primary_key=True, max_length=64)
    name: str
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class OfficerContact(SQLModel, table=True):
    """Local copy of an officer account (`officer.upserted.v1`, internal): who to tell about work."""

    __tablename__ = "notify_officer"
    __table_args__ = (Index("ix_notify_officer_agency", "agency_id", "department"),)

    officer_id: str = Field(primary_key=True, max_length=64)
    agency_id: str = Field(max_length=64)
    name: str
    department: str | None = Field(default=None, max_length=64)
    department_name: str | None = None
    email: str | None = None
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    active: bool = True
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class DossierWork(SQLModel, table=True):
    """What notify knows of a dossier's handling, to tell the right officers: the procedure, the
    performing agency, how it came in, and who handles it (department, assignee) from its steps."""

    __tablename__ = "notify_dossier"

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=64)
    channel: int | None = None
    department: str | None = Field(default=None, max_length=200)
    # The officer it is assigned to, by name (dossier.step_changed.v1 names, it does not identify).
    assignee_name: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
