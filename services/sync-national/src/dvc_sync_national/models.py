"""Sync-national's tables (its own database `dvc_sync_national`): local copies and the sync log."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)
from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


class Procedure(SQLModel, table=True):
    __tablename__ = "sync_procedure"

    code: str = Field(primary_key=True, max_length=64)
    name: str
    field_name: str
    agency_name: str


class Dossier(SQLModel, table=True):
    """What the portal record needs, gathered from several events; statuses are pushed in order."""

    __tablename__ = "sync_dossier"

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str | None = Field(default=None, max_length=64)
    channel: int | None = None
    applicant_kind: int | None = None
    submitted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    files: list[str] | None = Field(default=None, sa_column=Column(JSON))
    applicant_name: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    synced_status: int | None = None
    synced_sequence: int = 0


class Push(SQLModel, table=True):
    """Every accepted push to the portal, for audit."""

    __tablename__ = "sync_push"

    id: int | None = Field(default=None, primary_key=True)
    event_id: UUID = Field(unique=True)
    dossier_code: str = Field(max_length=40, index=True)
    status: int
    pushed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    portal_message: str | None = None
