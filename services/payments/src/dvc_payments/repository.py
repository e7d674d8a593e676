"""All of payments' SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_payments.models import (
    Agency,
    BeneficiaryAccount,
    CallbackLog,
    Dossier,
    FeeSchedule,
    Mismatch,
    PaymentAttempt,
    PaymentRequest,
    ProcedureAgency,
    Receipt,
    WaitingObligation,
)


class PaymentsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Configuration

    async def fee_schedule(self, procedure_code: str, agency_id: str) -> FeeSchedule | None:
        result = await self.session.execute(
            select(FeeSchedule)
            .where(col(FeeSchedule.procedure_code) == procedure_code, col(FeeSchedule.agency_id) == agency_id)
            .order_by(col(FeeSchedule.version).desc())
            .limit(1)
        )
        return result.scalars().first()

    async def fee_schedules(self, procedure_code: str, agency_id: str) -> list[FeeSchedule]:
        result = await self.session.execute(
            select(FeeSchedule)
            .where(col(FeeSchedule.procedure_code) == procedure_code, col(FeeSchedule.agency_id) == agency_id)
            .order_by(col(FeeSchedule.version).desc())
        )
        return list(result.scalars().all())

    async def add_fee_schedule(self, schedule: FeeSchedule) -> FeeSchedule:
        # Serialise writers of one procedure+agency so versions never collide.
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {"k": f"fee:{schedule.procedure_code}:{schedule.agency_id}"},
        )
        latest = await self.fee_schedule(schedule.procedure_code, schedule.agency_id)
        schedule.version = (latest.version if latest else 0) + 1
        self.session.add(schedule)
        await self.session.flush()
        return schedule

    async def account(self, agency_id: str) -> BeneficiaryAccount | None:
        result = await self.session.execute(
            select(BeneficiaryAccount)
            .where(col(BeneficiaryAccount.agency_id) == agency_id)
            .order_by(col(BeneficiaryAccount.version).desc())
            .limit(1)
        )
        return result.scalars().first()

    async def accounts(self, agency_id: str) -> list[BeneficiaryAccount]:
        result = await self.session.execute(
            select(BeneficiaryAccount)
            .where(col(BeneficiaryAccount.agency_id) == agency_id)
            .order_by(col(BeneficiaryAccount.version).desc())
        )
        return list(result.scalars().all())

    async def add_account(self, account: BeneficiaryAccount) -> BeneficiaryAccount:
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"account:{account.agency_id}"}
        )
        latest = await self.account(account.agency_id)
        account.version = (latest.version if latest else 0) + 1
        self.session.add(account)
        await self.session.flush()
        return account

    # Agencies (identity's tree) and who performs which procedure (the catalog)

    async def save_agency(self, agency: Agency) -> None:
        await self.session.merge(agency)

    async def agency(self, agency_id: str) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def save_procedure_agencies(self, procedure_code: str, agencies: list[ProcedureAgency]) -> None:
        """The procedure's performing agencies now: the catalog's list replaces the earlier one."""
        await self.session.execute(
            text("DELETE FROM payments_procedure_agency WHERE procedure_code = :p"), {"p": procedure_code}
        )
        for agency in agencies:
            self.session.add(agency)
        await self.session.flush()

    async def procedure_agency(self, procedure_code: str, agency_id: str) -> ProcedureAgency | None:
        return await self.session.get(ProcedureAgency, (procedure_code, agency_id))

    async def performs_any(self, agency_id: str) -> bool:
        """Whether the catalog names the agency as performing a procedure or receiving its fees."""
        found = await self.session.execute(
            text(
                "SELECT 1 FROM payments_procedure_agency WHERE agency_id = :a OR beneficiary_agency_id = :a"
                " LIMIT 1"
            ),
            {"a": agency_id},
        )
        return found.first() is not None

    # Obligations waiting for the agency's configuration

    async def wait_for_configuration(self, waiting: WaitingObligation) -> None:
        """Record (or update: what is missing may change) the dossier's obligation waiting."""
        values = waiting.model_dump(exclude={"id"})
        statement = (
            insert(WaitingObligation)
            .values(**values)
            .on_conflict_do_update(
                constraint="uq_payments_waiting_dossier_stage",
                set_={
                    "missing": values["missing"],
                    "account_agency_id": values["account_agency_id"],
                    "resolved_at": None,
                },
            )
        )
        await self.session.execute(statement)

    async def waiting_obligations(
        self,
        *,
        agency_id: str | None = None,
        procedure_code: str | None = None,
        dossier_code: str | None = None,
        lock: bool = False,
        limit: int = 500,
    ) -> list[WaitingObligation]:
        """Unresolved obligations, oldest first; `agency_id` matches the performing agency or the one
        whose account receives the fees."""
        statement = select(WaitingObligation).where(col(WaitingObligation.resolved_at).is_(None))
        if agency_id is not None:
            statement = statement.where(
                (col(WaitingObligation.agency_id) == agency_id)
                | (col(WaitingObligation.account_agency_id) == agency_id)
            )
        if procedure_code is not None:
            statement = statement.where(col(WaitingObligation.procedure_code) == procedure_code)
        if dossier_code is not None:
            statement = statement.where(col(WaitingObligation.dossier_code) == dossier_code)
        statement = statement.order_by(col(WaitingObligation.id)).limit(limit)
        if lock:
            statement = statement.with_for_update(skip_locked=True)
        return list((await self.session.execute(statement)).scalars().all())

    async def save_dossier(self, dossier: Dossier) -> None:
        await self.session.merge(dossier)

    async def dossier(self, code: str) -> Dossier | None:
        return await self.session.get(Dossier, code)

    # Requests and attempts

    async def insert_request(self, request: PaymentRequest) -> bool:
        """False when the dossier already has a request for this stage."""
        statement = (
            insert(PaymentRequest)
            .values(**request.model_dump())
            .on_conflict_do_nothing(constraint="uq_payments_request_dossier_stage")
            .returning(col(PaymentRequest.id))
        )
        return (await self.session.execute(statement)).first() is not None

    async def request(self, payment_id: str, *, lock: bool = False) -> PaymentRequest | None:
        statement = select(PaymentRequest).where(col(PaymentRequest.id) == payment_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalars().first()

    async def requests_of_dossier(self, dossier_code: str) -> list[PaymentRequest]:
        result = await self.session.execute(
            select(PaymentRequest)
            .where(col(PaymentRequest.dossier_code) == dossier_code)
            .order_by(col(PaymentRequest.created_at))
        )
        return list(result.scalars().all())

    async def attempts(self, payment_id: str) -> list[PaymentAttempt]:
        result = await self.session.execute(
            select(PaymentAttempt)
            .where(col(PaymentAttempt.payment_id) == payment_id)
            .order_by(col(PaymentAttempt.seq))
        )
        return list(result.scalars().all())

    async def attempt(self, reference: str, *, lock: bool = False) -> PaymentAttempt | None:
        statement = select(PaymentAttempt).where(col(PaymentAttempt.reference) == reference)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalars().first()

    async def open_attempts(self, older_than_seconds: float, limit: int = 500) -> list[str]:
        """References of attempts still waiting for the platform's word (initiated or superseded)."""
        result = await self.session.execute(
            text(
                "SELECT reference FROM payments_attempt WHERE status IN ('initiated', 'superseded')"
                " AND created_at < CAST(:now AS timestamptz) - make_interval(secs => :age)"
                " AND created_at > CAST(:now AS timestamptz) - interval '3 days' ORDER BY created_at LIMIT :n"
            ),
            {"age": older_than_seconds, "n": limit, "now": clock.now()},  # created_at is system time
        )
        return [str(r[0]) for r in result.all()]

    async def verified_without_receipt(self, limit: int = 500) -> list[str]:
        result = await self.session.execute(
            text("SELECT id FROM payments_request WHERE status = 'verified' ORDER BY updated_at LIMIT :n"),
            {"n": limit},
        )
        return [str(r[0]) for r in result.all()]

    async def paid_attempts_between(self, start: datetime, end: datetime) -> list[PaymentAttempt]:
        result = await self.session.execute(
            select(PaymentAttempt).where(
                col(PaymentAttempt.status).in_(("paid", "duplicate")),
                col(PaymentAttempt.paid_at) >= start,
                col(PaymentAttempt.paid_at) < end,
            )
        )
        return list(result.scalars().all())

    async def save_receipt(self, receipt: Receipt) -> bool:
        statement = insert(Receipt).values(**receipt.model_dump()).on_conflict_do_nothing()
        return (await self.session.execute(statement.returning(col(Receipt.payment_id)))).first() is not None

    async def receipt(self, payment_id: str) -> Receipt | None:
        return await self.session.get(Receipt, payment_id)

    # Audit and reconciliation

    async def log_callback(self, reference: str | None, verdict: str, body: dict[str, Any]) -> None:
        self.session.add(
            CallbackLog(reference=reference, verdict=verdict, body=body, received_at=clock.now())
        )

    async def callbacks(self, reference: str) -> list[CallbackLog]:
        result = await self.session.execute(
            select(CallbackLog).where(col(CallbackLog.reference) == reference).order_by(col(CallbackLog.id))
        )
        return list(result.scalars().all())

    async def add_mismatch(self, mismatch: Mismatch) -> bool:
        """False when this kind of mismatch was already reported for the reference."""
        statement = (
            insert(Mismatch)
            .values(**mismatch.model_dump(exclude={"id"}))
            .on_conflict_do_nothing(constraint="uq_payments_mismatch_kind_reference")
            .returning(col(Mismatch.id))
        )
        return (await self.session.execute(statement)).first() is not None

    async def resolve_mismatch(self, mismatch_id: int, by: str, resolution: str) -> Mismatch | None:
        mismatch = (
            (
                await self.session.execute(
                    select(Mismatch).where(col(Mismatch.id) == mismatch_id).with_for_update()
                )
            )
            .scalars()
            .first()
        )
        if mismatch is not None and mismatch.resolved_at is None:
            mismatch.resolved_at, mismatch.resolved_by, mismatch.resolution = (
                clock.now(),
                by,
                resolution,
            )
            self.session.add(mismatch)
        return mismatch

    async def mismatches(self, *, unresolved_only: bool = True, limit: int = 200) -> list[Mismatch]:
        statement = select(Mismatch).order_by(col(Mismatch.id).desc()).limit(limit)
        if unresolved_only:
            statement = statement.where(col(Mismatch.resolved_at).is_(None))
        return list((await self.session.execute(statement)).scalars().all())
