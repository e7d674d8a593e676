"""Identity's tables (its own database `dvc_identity`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKeyConstraint, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index))


class Agency(SQLModel, table=True):
    """A node of the agency tree; `id` is its standard identifier (mã định danh), used in dossier codes."""

    __tablename__ = "identity_agency"

    id: str = Field(primary_key=True, max_length=32)
    name: str
    level: str = Field(max_length=16)
    parent_id: str | None = Field(default=None, foreign_key="identity_agency.id", max_length=32, index=True)
    active: bool = True
    updated_at: datetime = _ts()


class Department(SQLModel, table=True):
    """A unit inside an agency (phòng, ban, bộ phận) officers belong to; `code` is unique per agency."""

    __tablename__ = "identity_department"

    agency_id: str = Field(foreign_key="identity_agency.id", primary_key=True, max_length=32)
    code: str = Field(primary_key=True, max_length=32)
    name: str
    active: bool = True


class Officer(SQLModel, table=True):
    __tablename__ = "identity_officer"
    __table_args__ = (
        ForeignKeyConstraint(
            ["agency_id", "department"],
            ["identity_department.agency_id", "identity_department.code"],
            name="fk_identity_officer_department",
        ),
        Index("ix_identity_officer_agency_department", "agency_id", "department"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    agency_id: str = Field(foreign_key="identity_agency.id", max_length=32, index=True)
    full_name: str
    position: str
    department: str | None = Field(default=None, max_length=32)  # a code of the agency's departments
    roles: list[str] = Field(sa_column=Column(ARRAY(String(32)), nullable=False))
    email: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    password_hash: str
    must_change_password: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = _ts(nullable=True)  # temporary lock after repeated failures
    locked_at: datetime | None = _ts(nullable=True)  # administrative lock
    lock_reason: str | None = Field(default=None, max_length=32)
    # Access tokens issued at or before this instant are void (lock, move, role change).
    tokens_valid_after: datetime | None = _ts(nullable=True)
    created_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    password_changed_at: datetime | None = _ts(nullable=True)


class PendingChange(SQLModel, table=True):
    """A change of a privileged peer's account (roles, contact, lock) waiting for a second person."""

    __tablename__ = "identity_pending_change"
    __table_args__ = (
        Index(
            "ux_identity_pending_change_open",
            "officer_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    officer_id: uuid.UUID = Field(foreign_key="identity_officer.id", index=True)
    action: str = Field(max_length=16)  # change | lock
    change: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    requested_by: str = Field(max_length=64)
    requested_at: datetime = _ts()
    status: str = Field(default="pending", max_length=16)  # pending | approved | refused
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = _ts(nullable=True)


class Citizen(SQLModel, table=True):
    """A citizen or organisation known through VNeID (personal data: stays in this database)."""

    __tablename__ = "identity_citizen"
    __table_args__ = (Index("ix_identity_citizen_kind_identifier", "kind", "identifier"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    vneid_sub: str = Field(max_length=128, unique=True)
    kind: str = Field(max_length=16)  # citizen | organisation
    # 12-digit personal identification number (citizens) or tax code (organisations).
    identifier: str = Field(max_length=20)
    full_name: str
    birth_date: date | None = None
    assurance_level: int = 1
    # None for an account a one-stop desk verified with VNeID (Lai Châu Điều 10.1.a) before any login.
    last_login_at: datetime | None = _ts(nullable=True)


class RefreshToken(SQLModel, table=True):
    """Only the SHA-256 of a refresh token is stored; a used token is rotated, reuse revokes the family."""

    __tablename__ = "identity_refresh_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    family: uuid.UUID = Field(index=True)
    subject: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)
    issued_at: datetime = _ts()
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)
    revoked_at: datetime | None = _ts(nullable=True)


class SigningKey(SQLModel, table=True):
    __tablename__ = "identity_signing_key"

    kid: str = Field(primary_key=True, max_length=64)
    algorithm: str = Field(max_length=16)
    private_pem: str  # encrypted with the configured passphrase
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = _ts()
    retired_at: datetime | None = _ts(nullable=True)


class OidcLogin(SQLModel, table=True):
    """One VNeID login in flight: state, nonce and PKCE verifier; usable once."""

    __tablename__ = "identity_oidc_login"

    state: str = Field(primary_key=True, max_length=64)
    nonce: str = Field(max_length=64)
    code_verifier: str = Field(max_length=128)
    created_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)


class PopulationGrant(SQLModel, table=True):
    """Permission to look up the national population database (Điện Biên Điều 10)."""

    __tablename__ = "identity_population_grant"
    __table_args__ = (
        Index(
            "ux_identity_population_grant_active",
            "officer_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    officer_id: uuid.UUID = Field(foreign_key="identity_officer.id", index=True)
    commitment_signed_on: date
    granted_by: str = Field(max_length=64)
    granted_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)
    revoked_reason: str | None = None


class PopulationLookup(SQLModel, table=True):
    """Who looked up whom, why and for which dossier."""

    __tablename__ = "identity_population_lookup"

    id: int | None = Field(default=None, primary_key=True)
    officer_id: uuid.UUID = Field(index=True)
    agency_id: str = Field(max_length=32)
    personal_id: str = Field(max_length=20, index=True)
    purpose: str
    dossier_code: str = Field(max_length=40)
    found: bool
    at: datetime = _ts()
    source_address: str | None = Field(default=None, max_length=64)


class AuditRecord(SQLModel, table=True):
    """Account actions as a hash chain: each record's hash covers the previous one."""

    __tablename__ = "identity_audit"

    seq: int = Field(primary_key=True)
    at: datetime = _ts(index=True)
    actor: str | None = Field(default=None, max_length=64, index=True)
    actor_kind: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=48)
    target: str | None = Field(default=None, max_length=64, index=True)
    agency_id: str | None = Field(default=None, max_length=32, index=True)
    source_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=256)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class ClockRecord(SQLModel, table=True):
    """The system clock's setting (dvc_common.clock): one row; identity owns it and publishes changes."""

    __tablename__ = "identity_clock"

    id: int = Field(default=1, primary_key=True)
    version: int
    offset_seconds: float = 0.0
    frozen_at: datetime | None = _ts(nullable=True)
    changed_at: datetime | None = _ts(nullable=True)  # real (wall) time of the change
    changed_by: str | None = Field(default=None, max_length=64)
