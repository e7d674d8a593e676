"""Sync-national's tables (its own database `dvc_sync_national`): local copies, the change log, attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class Procedure(SQLModel, table=True):
    __tablename__ = "sync_procedure"

    code: str = Field(primary_key=True, max_length=64)
    name: str
    field_name: str
    agency_name: str
    # The documents the procedure issues as its result (TenGiayTo of DanhSachGiayToKetQua).
    result_documents: list[str] | None = Field(default=None, sa_column=Column(JSON))


class Dossier(SQLModel, table=True):
    """What the portal record needs (gathered from several events) and where its sync stands.

    `next_attempt_at` is set while changes are pending and due; NULL when nothing is to be sent or
    the dossier waits for an earlier change or a missing fact (an arriving event makes it due again).
    """

    __tablename__ = "sync_dossier"
    __table_args__ = (
        Index("ix_sync_dossier_due", "next_attempt_at", postgresql_where=text("next_attempt_at IS NOT NULL")),
    )

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str | None = Field(default=None, max_length=64)
    agency_id: str | None = Field(default=None, max_length=32)
    channel: int | None = None
    applicant_kind: int | None = None
    submitted_at: datetime | None = _ts()
    files: list[str] | None = Field(default=None, sa_column=Column(JSON))
    applicant_name: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    national_reference: str | None = Field(default=None, max_length=64)
    # Files of each supplement round: [[round, name], ...] (sent in TaiLieuNop after the first ones).
    supplement_files: list[list[Any]] | None = Field(default=None, sa_column=Column(JSON))
    # Fees asked and paid (payment.requested / payment.completed): one entry per payment request,
    # {"payment_id", "stage", "lines": [{"kind", "name", "amount"}], "paid": bool, "method"}.
    fees: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    # Where the portal's record stands.
    on_portal: bool = False
    synced_status: int | None = None
    synced_sequence: int = 0
    synced_at: datetime | None = _ts()
    received_at: datetime | None = _ts()
    appointment_at: datetime | None = _ts()
    finished_at: datetime | None = _ts()
    returned_at: datetime | None = _ts()
    # Our latest known status (what the portal should show once the backlog is sent).
    latest_status: int | None = None
    latest_sequence: int = 0
    # The queue of work.
    pending: int = 0
    next_attempt_at: datetime | None = _ts()
    force_next: bool = False
    failures: int = 0
    blocked: str | None = Field(default=None, max_length=32)
    last_error: str | None = None
    last_attempt_at: datetime | None = _ts()


class Change(SQLModel, table=True):
    """Every dossier.status_changed received, in the durable per-dossier log the dispatcher drains."""

    __tablename__ = "sync_change"
    __table_args__ = (
        UniqueConstraint("dossier_code", "sequence", name="uq_sync_change_dossier_sequence"),
        Index(
            "ix_sync_change_pending", "dossier_code", "sequence", postgresql_where=text("state = 'pending'")
        ),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    event_id: UUID = Field(unique=True)
    dossier_code: str = Field(max_length=40)
    sequence: int
    status: int
    previous_status: int | None = None
    changed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    traceparent: str | None = Field(default=None, max_length=64)
    state: str = Field(default="pending", max_length=16)  # pending | synced | stale
    record_sent: bool = False
    step_sent: bool = False
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    synced_at: datetime | None = _ts()


class Attempt(SQLModel, table=True):
    """Every call to the portal about a dossier, with its outcome (the audit of the sync)."""

    __tablename__ = "sync_attempt"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    dossier_code: str = Field(max_length=40, index=True)
    change_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    status: int | None = None
    kind: str = Field(max_length=16)  # create | update | step
    outcome: str = Field(max_length=16)  # ok | duplicate | rejected | unavailable
    error_code: str | None = Field(default=None, max_length=16)
    message: str | None = None
    attempted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class InboundDossier(SQLModel, table=True):
    """A dossier submitted on the national portal and handed to intake (once)."""

    __tablename__ = "sync_inbound"

    national_reference: str = Field(primary_key=True, max_length=64)
    portal_cursor: int = Field(sa_column=Column(BigInteger, nullable=False))
    procedure_code: str = Field(max_length=64)
    fetched_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class JobLease(SQLModel, table=True):
    """Leases of background jobs (dvc_common.lease): one replica polls the national portal at a time."""

    __tablename__ = "sync_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
