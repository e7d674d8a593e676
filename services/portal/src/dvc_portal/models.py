"""The portal's tables (its own database `dvc_portal`): server-side sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class PortalSession(SQLModel, table=True):
    """One browser's session. The cookie carries a random id; this row is keyed by its hash, and
    holds the tokens identity issued, which never reach the browser."""

    __tablename__ = "portal_session"
    __table_args__ = (Index("ix_portal_session_expires_at", "expires_at"),)

    key: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16, description="anonymous, officer, citizen, organisation")
    csrf_token: str = Field(max_length=64)
    subject: str | None = Field(default=None, max_length=64)
    display_name: str | None = None
    access_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    refresh_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    access_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    refresh_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
