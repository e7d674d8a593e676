"""Notify's tables (its own database `dvc_notify`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)
from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    """Local copy of how to reach a dossier's applicant (from `dossier.contact_registered.v1`)."""

    __tablename__ = "notify_contact"

    dossier_code: str = Field(primary_key=True, max_length=40)
    applicant_name: str
    email: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Delivery(SQLModel, table=True):
    """One notification sent (or deliberately not sent) for one event on one channel."""

    __tablename__ = "notify_delivery"
    __table_args__ = (UniqueConstraint("event_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: UUID
    dossier_code: str = Field(max_length=40, index=True)
    channel: str = Field(max_length=16)
    recipient: str | None = None
    subject: str
    outcome: str = Field(max_length=16, description="sent | no_address")
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
