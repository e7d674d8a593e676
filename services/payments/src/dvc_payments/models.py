"""Payments' tables (its own database `dvc_payments`). Money is BIGINT of VND, never floating point."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

import dvc_common.tables  # noqa: F401  (platform tables share the metadata)


def _ts(nullable: bool = False) -> Any:
    return Column(DateTime(timezone=True), nullable=nullable)


class FeeSchedule(SQLModel, table=True):
    """A version of an agency's fees for a procedure (Điện Biên Điều 8.4, 18.2); the highest is in use."""

    __tablename__ = "payments_fee_schedule"
    __table_args__ = (UniqueConstraint("procedure_code", "agency_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=64)
    version: int
    fees: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    postal_fee: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    upfront: bool = Field(default=False, description="Charged at submission rather than in status 6")
    author: str = Field(max_length=128)
    created_at: datetime = Field(sa_column=_ts())


class BeneficiaryAccount(SQLModel, table=True):
    """A version of the agency's beneficiary account (tài khoản thụ hưởng, Lai Châu Điều 11.3)."""

    __tablename__ = "payments_beneficiary_account"
    __table_args__ = (UniqueConstraint("agency_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: str = Field(max_length=64)
    version: int
    account_number: str = Field(max_length=64)
    account_name: str
    bank_code: str = Field(max_length=32)
    bank_name: str
    author: str = Field(max_length=128)
    created_at: datetime = Field(sa_column=_ts())


class Dossier(SQLModel, table=True):
    """Local copy of what payments needs about a dossier (from `dossier.submitted.v1`)."""

    __tablename__ = "payments_dossier"

    code: str = Field(primary_key=True, max_length=40)
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=64)
    channel: int
    submitted_at: datetime = Field(sa_column=_ts())
    # Token subject of the applicant (VNeID), who alone pays online; None for anonymous submissions.
    owner_subject: str | None = Field(default=None, max_length=128)
    # How the applicant receives the result (online | counter | post); the postal fee follows "post".
    result_delivery: str | None = Field(default=None, max_length=16)


class Agency(SQLModel, table=True):
    """Local copy of identity's agency tree (`agency.upserted.v1`): configuration names known agencies."""

    __tablename__ = "payments_agency"

    agency_id: str = Field(primary_key=True, max_length=64)
    name: str
    active: bool = True
    updated_at: datetime = Field(sa_column=_ts())


class ProcedureAgency(SQLModel, table=True):
    """An agency performing a procedure (from `procedure.published.v1`'s `agencies`), the agency
    whose beneficiary account receives its fees and the agency whose one-stop desk receives its
    dossiers (the provincial public-administration service centre for departments)."""

    __tablename__ = "payments_procedure_agency"

    procedure_code: str = Field(primary_key=True, max_length=64)
    agency_id: str = Field(primary_key=True, max_length=64)
    agency_name: str
    beneficiary_agency_id: str = Field(max_length=64)
    receiving_agency_id: str = Field(max_length=64, description="The performing agency itself unless named")


class WaitingObligation(SQLModel, table=True):
    """A dossier that owes fees the agency's configuration cannot ask for yet (no fee schedule or no
    beneficiary account): a configuration problem shown to the agency and the operator; the request
    is made when the configuration is completed."""

    __tablename__ = "payments_waiting_obligation"
    __table_args__ = (UniqueConstraint("dossier_code", "stage", name="uq_payments_waiting_dossier_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_code: str = Field(max_length=40)
    stage: str = Field(max_length=16)
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=64, index=True, description="The performing agency")
    account_agency_id: str = Field(max_length=64, index=True, description="Whose account receives the fees")
    missing: str = Field(max_length=32, description="fee_schedule | beneficiary_account")
    detected_at: datetime = Field(sa_column=_ts())
    resolved_at: datetime | None = Field(default=None, sa_column=_ts(True))
    payment_id: str | None = Field(default=None, max_length=40)


class PaymentRequest(SQLModel, table=True):
    """A fee to pay for a dossier. awaiting → verified (platform confirmed) → paid (receipt stored)."""

    __tablename__ = "payments_request"
    __table_args__ = (UniqueConstraint("dossier_code", "stage", name="uq_payments_request_dossier_stage"),)

    id: str = Field(primary_key=True, max_length=40)
    dossier_code: str = Field(max_length=40, index=True)
    stage: str = Field(max_length=16, description="upfront | obligation")
    procedure_code: str = Field(max_length=64)
    agency_id: str = Field(max_length=64)
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    fee_lines: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    schedule_version: int
    account: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    status: str = Field(max_length=16, description="awaiting | verified | paid | cancelled")
    transaction_id: str | None = Field(default=None, max_length=64)
    bank_code: str | None = Field(default=None, max_length=32)
    paid_reference: str | None = Field(default=None, max_length=64)
    payer_subject: str | None = Field(default=None, max_length=128)
    paid_at: datetime | None = Field(default=None, sa_column=_ts(True))
    # online (the national payment platform) | cash | card (taken at the one-stop counter)
    method: str | None = Field(default=None, max_length=16)
    collected_by: str | None = Field(default=None, max_length=128, description="The counter officer")
    created_at: datetime = Field(sa_column=_ts())
    updated_at: datetime = Field(sa_column=_ts())


class PaymentAttempt(SQLModel, table=True):
    """One INIT with the platform (MaThamChieu). A citizen who abandons one starts another at once.

    created → initiated → paid | failed | amount_mismatch | duplicate; created → init_failed;
    initiated → superseded (a newer attempt started; still confirmed if the bank later pays it).
    """

    __tablename__ = "payments_attempt"
    __table_args__ = (
        Index("ix_payments_attempt_open", "created_at", postgresql_where=text("status = 'initiated'")),
    )

    reference: str = Field(primary_key=True, max_length=64)
    payment_id: str = Field(max_length=40, index=True)
    seq: int
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: str = Field(max_length=16)
    pay_url: str | None = None
    payer_subject: str | None = Field(default=None, max_length=128)
    transaction_id: str | None = Field(default=None, max_length=64)
    bank_code: str | None = Field(default=None, max_length=32)
    settled_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    error_code: str | None = Field(default=None, max_length=16)
    error_message: str | None = None
    paid_at: datetime | None = Field(default=None, sa_column=_ts(True))
    created_at: datetime = Field(sa_column=_ts())
    updated_at: datetime = Field(sa_column=_ts())


class Receipt(SQLModel, table=True):
    """The bank-signed state-budget receipt (GET_BILL), verified, one per paid request."""

    __tablename__ = "payments_receipt"

    payment_id: str = Field(primary_key=True, max_length=40)
    receipt_number: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    signature: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    fetched_at: datetime = Field(sa_column=_ts())


class CallbackLog(SQLModel, table=True):
    """Every callback received, with what we made of it (audit for the accountant)."""

    __tablename__ = "payments_callback_log"

    id: int | None = Field(default=None, primary_key=True)
    reference: str | None = Field(default=None, max_length=64, index=True)
    verdict: str = Field(max_length=24)
    body: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = Field(sa_column=_ts())


class Mismatch(SQLModel, table=True):
    """A disagreement between our records and the platform's, reported once per kind and reference."""

    __tablename__ = "payments_mismatch"
    __table_args__ = (UniqueConstraint("kind", "reference", name="uq_payments_mismatch_kind_reference"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    reference: str = Field(max_length=64)
    payment_id: str | None = Field(default=None, max_length=40)
    transaction_id: str | None = Field(default=None, max_length=64)
    expected_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    settled_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    settlement_date: str | None = Field(default=None, max_length=10)
    detected_at: datetime = Field(sa_column=_ts())
    resolved_at: datetime | None = Field(default=None, sa_column=_ts(True))
    resolved_by: str | None = Field(default=None, max_length=128)
    resolution: str | None = Field(default=None, description="What the accountant did, e.g. refunded")


class Lease(SQLModel, table=True):
    """Leases of scheduled jobs (dvc_common.lease): one replica reconciles at a time."""

    __tablename__ = "payments_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_column=_ts())
