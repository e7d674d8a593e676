"""All of intake's SQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_intake.models import Agency, Dossier, DossierFile, PaymentReceipt, Procedure, Slip


class IntakeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def procedure(self, code: str) -> Procedure | None:
        return await self.session.get(Procedure, code)

    async def upsert_procedure(self, procedure: Procedure) -> None:
        await self.session.merge(procedure)

    async def agency(self, agency_id: str) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def upsert_agency(self, agency: Agency) -> None:
        await self.session.merge(agency)

    async def next_code_sequence(self, agency_id: str, day: date) -> int:
        result = await self.session.execute(
            text(
                "INSERT INTO intake_code_counter (agency_id, day, last_value) VALUES (:a, :d, 1)"
                " ON CONFLICT (agency_id, day) DO UPDATE SET last_value = intake_code_counter.last_value + 1"
                " RETURNING last_value"
            ),
            {"a": agency_id, "d": day},
        )
        return int(result.scalar_one())

    def add_dossier(self, dossier: Dossier, files: list[DossierFile]) -> None:
        self.session.add(dossier)
        self.session.add_all(files)

    async def dossier(self, code: str) -> Dossier | None:
        return await self.session.get(Dossier, code)

    async def dossier_files(self, code: str) -> list[DossierFile]:
        rows = await self.session.exec(
            select(DossierFile).where(DossierFile.dossier_code == code).order_by(col(DossierFile.position))
        )
        return list(rows.all())

    async def dossiers_of(self, owner_subject: str, limit: int = 200) -> list[Dossier]:
        rows = await self.session.exec(
            select(Dossier)
            .where(Dossier.owner_subject == owner_subject)
            .order_by(col(Dossier.submitted_at).desc())
            .limit(limit)
        )
        return list(rows.all())

    async def apply_status(
        self,
        code: str,
        status: int,
        status_name: str,
        sequence: int,
        changed_at: datetime,
        *,
        received_at: datetime | None = None,
        appointment_at: datetime | None = None,
    ) -> bool:
        """Apply a status if it is newer than the one we hold; False for stale or unknown dossiers."""
        result = await self.session.execute(
            text(
                "UPDATE intake_dossier SET status = :s, status_name = :n, status_sequence = :q, updated_at = :t,"
                " received_at = COALESCE(CAST(:r AS timestamptz), received_at),"
                " appointment_at = COALESCE(CAST(:a AS timestamptz), appointment_at)"
                " WHERE code = :c AND status_sequence < :q RETURNING code"
            ),
            {
                "s": status,
                "n": status_name,
                "q": sequence,
                "t": changed_at,
                "c": code,
                "r": received_at,
                "a": appointment_at,
            },
        )
        return result.scalar_one_or_none() is not None

    async def add_slip(self, slip: Slip) -> int | None:
        """The new slip's id; None when the event already produced its slip (redelivery)."""
        result = await self.session.execute(
            text(
                "INSERT INTO intake_slip (dossier_code, form, source_event_id, sha256, size, issued_at)"
                " VALUES (:c, :f, :e, :s, :n, :t) ON CONFLICT (source_event_id) DO NOTHING RETURNING id"
            ),
            {
                "c": slip.dossier_code,
                "f": slip.form,
                "e": slip.source_event_id,
                "s": slip.sha256,
                "n": slip.size,
                "t": slip.issued_at,
            },
        )
        found = result.scalar_one_or_none()
        return int(found) if found is not None else None

    async def slip_of_event(self, event_id: str) -> Slip | None:
        rows = await self.session.exec(select(Slip).where(Slip.source_event_id == event_id))
        return rows.first()

    async def slips(self, code: str) -> list[Slip]:
        rows = await self.session.exec(
            select(Slip).where(Slip.dossier_code == code).order_by(col(Slip.issued_at), col(Slip.id))
        )
        return list(rows.all())

    async def save_receipt(self, receipt: PaymentReceipt) -> None:
        await self.session.merge(receipt)

    async def receipts_of_dossier(self, code: str) -> list[PaymentReceipt]:
        rows = await self.session.exec(
            select(PaymentReceipt)
            .where(PaymentReceipt.dossier_code == code)
            .order_by(col(PaymentReceipt.issued_at))
        )
        return list(rows.all())

    async def receipts_paid_by(self, subject: str) -> list[PaymentReceipt]:
        rows = await self.session.exec(
            select(PaymentReceipt)
            .where(PaymentReceipt.payer_subject == subject)
            .order_by(col(PaymentReceipt.issued_at).desc())
        )
        return list(rows.all())
