"""Platform tables every service has in its own database (outbox, sequences, inbox, rate limits)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlmodel import SQLModel

metadata = SQLModel.metadata

outbox_message = Table(
    "outbox_message",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("exchange", String(64), nullable=False),
    Column("routing_key", String(128), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("partition", SmallInteger, nullable=False),
    Column("body", JSONB, nullable=False),
    Column("traceparent", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_unsent", "partition", "id", postgresql_where=text("sent_at IS NULL")),
    Index("ix_outbox_sent_at", "sent_at", postgresql_where=text("sent_at IS NOT NULL")),
)

event_sequence = Table(
    "event_sequence",
    metadata,
    Column("subject", String(128), nullable=False),
    Column("last_value", BigInteger, nullable=False),
    PrimaryKeyConstraint("subject"),
)

inbox_message = Table(
    "inbox_message",
    metadata,
    Column("consumer", String(128), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(128), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id"),
)

rate_limit_counter = Table(
    "rate_limit_counter",
    metadata,
    Column("key", String(300), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("hits", Integer, nullable=False),
    PrimaryKeyConstraint("key"),
    Index("ix_rate_limit_counter_window_end", "window_end"),
)
