"""Q&A's tables (its own database `dvc_qa`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Computed, DateTime, Index, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Agency(SQLModel, table=True):
    """Local copy of identity's agency tree (from `agency.upserted.v1`), so asking works when identity is down."""

    __tablename__ = "qa_agency"

    agency_id: str = Field(primary_key=True, max_length=40)
    name: str
    level: str = Field(max_length=20)
    parent_id: str | None = Field(default=None, max_length=40)
    active: bool
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Procedure(SQLModel, table=True):
    """Local copy of the procedure catalog (from `procedure.published.v1`): name and field for questions."""

    __tablename__ = "qa_procedure"

    code: str = Field(primary_key=True, max_length=40)
    name: str
    field_name: str
    agency_id: str = Field(max_length=40)


class Question(SQLModel, table=True):
    """A question and, once published, its answer. Texts are stored with personal numbers masked."""

    __tablename__ = "qa_question"
    __table_args__ = (
        Index("ix_qa_question_search", "search_vector", postgresql_using="gin"),
        Index("ix_qa_question_public", "answered_at", "id", postgresql_where="status = 'answered'"),
        Index("ix_qa_question_agency_status", "agency_id", "status", "asked_at"),
        Index("ix_qa_question_asker", "asker_subject", "asked_at"),
        Index(
            "ix_qa_question_open_due",
            "due_at",
            postgresql_where="status IN ('pending','forwarded','drafted')",
        ),
    )

    id: UUID = Field(primary_key=True)
    asker_subject: str = Field(max_length=64, description="Identity subject (not a national ID)")
    asker_kind: str = Field(max_length=16, description="citizen | organisation")
    agency_id: str = Field(max_length=40)
    procedure_code: str | None = Field(default=None, max_length=40)
    field_name: str | None = None
    title: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)
    version: int = 1
    asked_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    needs_coordination: bool = False
    coordinating_agencies: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    due_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    due_soon_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    deadline: dict[str, Any] = Field(
        sa_column=Column(JSONB, nullable=False), description="Computed.as_record()"
    )
    due_soon_sent: bool = False
    overdue_sent: bool = False
    # Forwarding and the department's draft (never public).
    department: str | None = None
    forwarded_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    draft: str | None = Field(default=None, sa_column=Column(Text))
    drafted_by_name: str | None = None
    drafted_by_position: str | None = None
    # The published answer.
    answer: str | None = Field(default=None, sa_column=Column(Text))
    answer_agency_name: str | None = None
    answerer_name: str | None = None
    answerer_position: str | None = None
    published_by: str | None = Field(default=None, max_length=64)
    answered_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # Declining.
    decline_reason: str | None = Field(default=None, sa_column=Column(Text))
    declined_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # Folded (no diacritics, lower case) text of everything searchable; maintained in Python.
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    search_vector: Any = Field(
        default=None,
        sa_column=Column(TSVECTOR, Computed("to_tsvector('simple'::regconfig, search_text)", persisted=True)),
    )


class Contribution(SQLModel, table=True):
    """What a coordinating agency contributed to a question's answer (internal)."""

    __tablename__ = "qa_contribution"

    id: int | None = Field(default=None, primary_key=True)
    question_id: UUID = Field(foreign_key="qa_question.id", index=True)
    agency_id: str = Field(max_length=40)
    author_name: str
    author_position: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Faq(SQLModel, table=True):
    """A frequently asked question curated by the provincial operator."""

    __tablename__ = "qa_faq"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    field_name: str | None = None
    agency_id: str | None = Field(default=None, max_length=40)
    position: int = 0
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Lease(SQLModel, table=True):
    """Scheduled-job leases (dvc_common.lease): one replica emits deadline events at a time."""

    __tablename__ = "qa_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
