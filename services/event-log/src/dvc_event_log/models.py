"""The event log's tables (its own database `dvc_event_log`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Index, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Stream(SQLModel, table=True):
    """The last position given in one stream (one subject of one aggregate): the next is last + 1."""

    __tablename__ = "event_log_stream"

    stream: str = Field(primary_key=True, max_length=32)
    subject: str = Field(primary_key=True, max_length=128)
    last_position: int = Field(sa_column=Column(BigInteger, nullable=False))


class SourceProgress(SQLModel, table=True):
    """The last producer sequence recorded per producer and subject (public and internal events)."""

    __tablename__ = "event_log_source"

    source: str = Field(primary_key=True, max_length=64)
    subject: str = Field(primary_key=True, max_length=128)
    last_sequence: int = Field(sa_column=Column(BigInteger, nullable=False))


class HistoryEvent(SQLModel, table=True):
    """One public event as integrators got it; `id` is the feed's cursor (ids follow commit order)."""

    __tablename__ = "event_log_history"
    __table_args__ = (
        UniqueConstraint("stream", "subject", "position", name="uq_event_log_history_position"),
        Index("ix_event_log_history_subject", "subject", "id"),
        Index("ix_event_log_history_type", "type", "id"),
        Index("ix_event_log_history_recorded_at", "recorded_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    event_id: UUID = Field(unique=True)
    type: str = Field(max_length=128)
    source: str = Field(max_length=64)
    stream: str = Field(max_length=32)
    subject: str = Field(max_length=128)
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    recorded_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    envelope: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))


class RetentionMark(SQLModel, table=True):
    """How far the history was purged: a cursor below it asks for events no longer kept."""

    __tablename__ = "event_log_retention"

    name: str = Field(primary_key=True, max_length=32)
    purged_through: int = Field(sa_column=Column(BigInteger, nullable=False))


class Lease(SQLModel, table=True):
    """dvc_common.lease: one replica purges the history."""

    __tablename__ = "event_log_lease"

    name: str = Field(primary_key=True)
    holder: str
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
