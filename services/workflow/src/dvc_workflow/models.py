"""Workflow's tables (its own database `dvc_workflow`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Procedure(SQLModel, table=True):
    __tablename__ = "workflow_procedure"

    code: str = Field(primary_key=True, max_length=64)
    definition: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    revision: str = Field(max_length=64)
    published_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Dossier(SQLModel, table=True):
    __tablename__ = "workflow_dossier"

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str = Field(max_length=64, index=True)
    agency_id: str = Field(max_length=32, index=True)
    status: int
    version: int = 1
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class StatusHistory(SQLModel, table=True):
    __tablename__ = "workflow_status_history"

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(foreign_key="workflow_dossier.code", max_length=40, index=True)
    status: int
    changed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    note: str | None = None
