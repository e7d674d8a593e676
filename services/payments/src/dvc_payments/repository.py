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
    BeneficiaryAccount,
    CallbackLog,
    Dossier,
    FeeSchedule,
    Mismatch,
    PaymentAttempt,
    PaymentRequest,
    Receipt,
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
