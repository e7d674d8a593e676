"""All of workflow's SQL."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_workflow.models import Dossier, Procedure, StatusHistory


class WorkflowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def publish_procedure(
        self, code: str, definition: dict[str, Any], revision: str, at: datetime
    ) -> bool:
        """Insert or update a procedure; True only when its content changed (so it must be announced)."""
        result = await self.session.execute(
            text(
                "INSERT INTO workflow_procedure (code, definition, revision, published_at)"
                " VALUES (:c, CAST(:d AS json), :r, :t)"
                " ON CONFLICT (code) DO UPDATE SET definition = excluded.definition,"
                " revision = excluded.revision, published_at = excluded.published_at"
                " WHERE workflow_procedure.revision <> excluded.revision RETURNING code"
            ),
            {"c": code, "d": _json(definition), "r": revision, "t": at},
        )
        return result.scalar_one_or_none() is not None

    async def procedures(self) -> list[Procedure]:
        return list((await self.session.exec(select(Procedure).order_by(col(Procedure.code)))).all())

    async def open_dossier(self, dossier: Dossier) -> bool:
        """Create the dossier; False when it already exists."""
        result = await self.session.execute(
            text(
                "INSERT INTO workflow_dossier (code, procedure_code, agency_id, status, version, submitted_at,"
                " updated_at) VALUES (:c, :p, :a, :s, 1, :t, :t) ON CONFLICT (code) DO NOTHING RETURNING code"
            ),
            {
                "c": dossier.code,
                "p": dossier.procedure_code,
                "a": dossier.agency_id,
                "s": dossier.status,
                "t": dossier.submitted_at,
            },
        )
        return result.scalar_one_or_none() is not None

    def add_history(self, entry: StatusHistory) -> None:
        self.session.add(entry)

    async def dossier(self, code: str) -> Dossier | None:
        return await self.session.get(Dossier, code)

    async def history(self, code: str) -> list[StatusHistory]:
        rows = await self.session.exec(
            select(StatusHistory).where(StatusHistory.dossier_code == code).order_by(col(StatusHistory.id))
        )
        return list(rows.all())


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
