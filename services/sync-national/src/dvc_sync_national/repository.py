"""All of sync-national's SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.models import Attempt, Change, Dossier, InboundDossier, Procedure


class SyncRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Local copies
    async def save_procedure(self, procedure: Procedure) -> None:
        await self.session.merge(procedure)

    async def procedures(self, codes: Sequence[str]) -> dict[str, Procedure]:
        rows = await self.session.exec(select(Procedure).where(col(Procedure.code).in_(codes)))  # type: ignore[call-overload]
        return {p.code: p for (p,) in rows}

    async def dossier(self, code: str) -> Dossier | None:
        return await self.session.get(Dossier, code)

    async def dossier_for_update(self, code: str) -> Dossier:
        """The dossier row, locked for this transaction (created empty when first seen)."""
        dossier = await self.session.get(Dossier, code, with_for_update=True)
        if dossier is None:
            dossier = Dossier(code=code)
            self.session.add(dossier)
            await self.session.flush()
        return dossier

    async def wake_for_procedure(self, procedure_code: str, now: datetime) -> None:
        """Dossiers that waited for this procedure's facts become due."""
        await self.session.execute(
            update(Dossier)
            .where(
                col(Dossier.procedure_code) == procedure_code,
                col(Dossier.pending) > 0,
                col(Dossier.next_attempt_at).is_(None),
            )
            .values(next_attempt_at=now)
        )

    # The change log
    async def add_change(self, values: dict[str, Any]) -> bool:
        """Record a change once (by event id and by dossier sequence); False when already known."""
        result = await self.session.execute(
            pg_insert(Change).values(**values).on_conflict_do_nothing().returning(col(Change.id))
        )
        return result.first() is not None

    async def claim_due(self, now: datetime, limit: int) -> list[Dossier]:
        """Due dossiers, locked; another replica skips them (each dossier is sent by one at a time)."""
        statement = (
            select(Dossier)
            .where(col(Dossier.next_attempt_at) <= now)
            .order_by(col(Dossier.next_attempt_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [d for (d,) in await self.session.execute(statement)]

    async def pending_changes(self, codes: Sequence[str]) -> list[Change]:
        statement = (
            select(Change)
            .where(col(Change.dossier_code).in_(codes), col(Change.state) == "pending")
            .order_by(col(Change.dossier_code), col(Change.sequence))
        )
        return [c for (c,) in await self.session.execute(statement)]

    async def changes(self, code: str) -> list[Change]:
        statement = select(Change).where(col(Change.dossier_code) == code).order_by(col(Change.sequence))
        return [c for (c,) in await self.session.execute(statement)]

    async def add_attempts(self, attempts: list[dict[str, Any]]) -> None:
        if attempts:
            await self.session.execute(insert(Attempt), attempts)

    async def attempts(self, code: str, limit: int) -> list[Attempt]:
        statement = (
            select(Attempt)
            .where(col(Attempt.dossier_code) == code)
            .order_by(col(Attempt.id).desc())
            .limit(limit)
        )
        return [a for (a,) in await self.session.execute(statement)]

    async def wake_after_outage(self, now: datetime) -> int:
        """Dossiers that backed off only because the portal was down are due again at once."""
        result = await self.session.execute(
            update(Dossier)
            .where(col(Dossier.blocked) == "unavailable", col(Dossier.next_attempt_at) > now)
            .values(next_attempt_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # Operator views
    async def backlog(self) -> dict[str, Any]:
        row = (
            await self.session.execute(
                text(
                    "SELECT count(*) AS changes, count(DISTINCT dossier_code) AS dossiers,"
                    " min(recorded_at) AS oldest FROM sync_change WHERE state = 'pending'"
                )
            )
        ).one()
        blocked = (
            await self.session.execute(
                text(
                    "SELECT coalesce(blocked, 'due') AS reason, count(*) FROM sync_dossier"
                    " WHERE pending > 0 GROUP BY 1"
                )
            )
        ).all()
        return {
            "pending_changes": int(row.changes),
            "pending_dossiers": int(row.dossiers),
            "oldest_pending_at": row.oldest,
            "by_reason": {reason: int(count) for reason, count in blocked},
        }

    async def failing(self, limit: int) -> list[Dossier]:
        statement = (
            select(Dossier)
            .where(col(Dossier.failures) > 0)
            .order_by(col(Dossier.last_attempt_at).desc())
            .limit(limit)
        )
        return [d for (d,) in await self.session.execute(statement)]

    async def dossiers_after(self, after: str, limit: int) -> list[Dossier]:
        statement = (
            select(Dossier)
            .where(col(Dossier.code) > after, col(Dossier.latest_status).is_not(None))
            .order_by(col(Dossier.code))
            .limit(limit)
        )
        return [d for (d,) in await self.session.execute(statement)]

    # Inbound
    async def inbound_cursor(self) -> int:
        value = (await self.session.execute(select(func.max(InboundDossier.portal_cursor)))).scalar()
        return int(value or 0)

    async def add_inbound(self, inbound: InboundDossier) -> bool:
        result = await self.session.execute(
            pg_insert(InboundDossier)
            .values(**inbound.model_dump())
            .on_conflict_do_nothing()
            .returning(col(InboundDossier.national_reference))
        )
        return result.first() is not None
