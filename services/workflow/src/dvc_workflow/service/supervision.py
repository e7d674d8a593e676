"""One pass of the deadline supervisor and its lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events.catalog import (
    DOSSIER_DUE_SOON,
    DOSSIER_OVERDUE,
    DOSSIER_STEP_OVERDUE,
    DossierDeadline,
    EventType,
)
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.context import Context


async def supervise(session: AsyncSession, ctx: Context, now: datetime, limit: int = 500) -> int:
    """One pass of the deadline supervisor (the caller holds the lease). Returns events emitted."""
    repo = WorkflowRepository(session)
    passes: list[tuple[EventType[Any], str, str, str, Literal["intake", "processing", "step"]]] = [
        (DOSSIER_OVERDUE, "intake_overdue_sent", "intake_due_at", "status = 1 AND channel = 2", "intake"),
        (DOSSIER_DUE_SOON, "due_soon_sent", "due_soon_at", "in_queue AND status IN (2, 4, 6)", "processing"),
        (
            DOSSIER_OVERDUE,
            "overdue_sent",
            "appointment_at",
            "in_queue AND status IN (2, 4, 6, 9)",
            "processing",
        ),
        (
            DOSSIER_STEP_OVERDUE,
            "step_overdue_sent",
            "step_due_at",
            "in_queue AND status IN (1, 2, 4, 6)",
            "step",
        ),
    ]
    emitted = 0
    for event_type, flag, column, where, kind in passes:
        for d in await repo.claim_deadlines(flag, column, where, now, limit):
            assert d.due_at is not None
            payload = DossierDeadline(
                code=d.code,
                procedure_code=d.procedure_code,
                agency_id=d.agency_id,
                kind=kind,
                due_at=d.due_at,
                step=d.step_id if kind == "step" else None,
            )
            await ctx.outbox.add(session, event_type, payload, subject=d.code)
            emitted += 1
    await repo.record_head(now)
    return emitted


async def take_lease(session: AsyncSession, name: str, holder: str, seconds: float) -> bool:
    return await WorkflowRepository(session).take_lease(name, holder, seconds)
