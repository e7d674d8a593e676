"""Intake's tables (its own database `dvc_intake`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


class Procedure(SQLModel, table=True):
    """Local copy of the procedure catalog, kept from `procedure.published.v1`."""

    __tablename__ = "intake_procedure"

    code: str = Field(primary_key=True, max_length=64)
    name: str
    agency_id: str = Field(max_length=32)
    agency_name: str
    processing_time_value: float
    processing_time_unit: str = Field(max_length=16)
    online_level: str = Field(max_length=8)
    revision: str = Field(max_length=64)
    # Forms of this procedure must carry a digital signature (said before submission, checked on upload).
    signature_required: bool = False
    # JSON Schema of the e-form (None: the procedure has no e-form) and the result deliveries offered.
    form_schema: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    result_delivery: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The required components (thành phần hồ sơ) as the catalog names them, for the receipt (Mẫu 01).
    components: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The agencies performing it (K1: [{agency_id, agency_name, receiving_agency_id}]), one chosen per
    # dossier; None for a copy recorded before the catalog listed them (the procedure's own agency).
    agencies: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Agency(SQLModel, table=True):
    """Local copy of identity's agency tree (`agency.upserted.v1`): the letterhead of the forms names
    the agency and its superior body (the parent)."""

    __tablename__ = "intake_agency"

    id: str = Field(primary_key=True, max_length=32)
    name: str
    parent_id: str | None = Field(default=None, max_length=32)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Dossier(SQLModel, table=True):
    __tablename__ = "intake_dossier"

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str = Field(max_length=64, index=True)
    agency_id: str = Field(max_length=32)
    applicant_name: str
    email: str | None = None
    phone: str | None = Field(default=None, max_length=20)
    channel: int
    applicant_kind: int
    status: int
    status_name: str
    status_sequence: int = 0
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # The VNeID subject of the citizen or organisation who owns the dossier (None: anonymous or counter).
    owner_subject: str | None = Field(default=None, max_length=128, index=True)
    # Counter and postal dossiers: the identifier the officer gave (CCCD / personal identification
    # number, organisation code), resolved by identity to `owner_subject`; its kind.
    owner_identifier: str | None = Field(default=None, max_length=32)
    owner_kind: str | None = Field(default=None, max_length=16)
    # Mandate (ủy quyền, Lai Châu Điều 10.1.a): the authorised person who filed for the owner.
    authorised_name: str | None = Field(default=None, max_length=200)
    authorised_identifier: str | None = Field(default=None, max_length=32)
    # The e-form as filled in (validated against the procedure's JSON Schema) and how the result goes back.
    eform: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    result_delivery: str | None = Field(default=None, max_length=16)
    postal_address: str | None = None
    # From workflow's dossier.status_changed.v1 (receipt from status 2 on, appointed return time).
    received_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    appointment_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class DossierFile(SQLModel, table=True):
    __tablename__ = "intake_dossier_file"
    __table_args__ = (UniqueConstraint("dossier_code", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(foreign_key="intake_dossier.code", max_length=40, index=True)
    position: int
    name: str
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    # "clean" once every check passed (type by content, antivirus scanner); "quarantined" while a check
    # is pending (the scanner was unavailable): a quarantined file is never served.
    scan_status: str = Field(default="clean", max_length=16)
    # Counter channel: the officer digitised this paper component (scan of the original).
    digitised: bool = False
    # Reused from the citizen's data store ("<dossier code>#<position>"): not uploaded again.
    reused_from: str | None = Field(default=None, max_length=60)
    # A PDF carrying a signature field with a signed digest (structure checked, not the certificate chain).
    signed: bool = False
    # 0: submitted with the dossier; n: uploaded in the n-th supplement (earlier versions are kept).
    supplement_round: int = 0
    # "component" (submitted by or for the applicant) or "result" (issued by the agency, returned online).
    kind: str = Field(default="component", max_length=16)
    # The procedure's component (thành phần hồ sơ, 1-based in its list) this file provides; None: other.
    component: int | None = None


class CodeCounter(SQLModel, table=True):
    """Last sequence number used per agency and receipt day (the code's NNNN part)."""

    __tablename__ = "intake_code_counter"

    agency_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    last_value: int


class Slip(SQLModel, table=True):
    """A PDF form produced from an event (Mẫu 01–05 of the lifecycle, BL the payment receipt), kept in
    the blob store."""

    __tablename__ = "intake_slip"
    __table_args__ = (UniqueConstraint("source_event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(foreign_key="intake_dossier.code", max_length=40, index=True)
    form: str = Field(max_length=2)
    source_event_id: str = Field(max_length=64)
    sha256: str = Field(max_length=64)
    size: int
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PaymentReceipt(SQLModel, table=True):
    """A bank-signed state-budget receipt of a fee paid for a dossier (kept by payments, which serves
    it); attached to the dossier and shown in the payer's data store."""

    __tablename__ = "intake_payment_receipt"

    payment_id: str = Field(primary_key=True, max_length=64)
    dossier_code: str = Field(max_length=40, index=True)
    payer_subject: str | None = Field(default=None, max_length=128, index=True)
    receipt_number: str = Field(max_length=64)
    amount: int
    sha256: str = Field(max_length=64)
    url: str
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # The printable biên lai drawn from the bank-signed document (None: the event did not carry it).
    slip_id: int | None = Field(default=None, foreign_key="intake_slip.id")
