"""One pass of the deadline supervisor: claim the passed deadlines, emit one event each, record the
audit chain head."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DOSSIER_DUE_SOON,
    DOSSIER_OVERDUE,
    DOSSIER_STEP_OVERDUE,
    DossierDeadline,
    EventType,
)
from dvc_workflow.repository import (
    APPOINTMENT,
    DUE_SOON,
    INTAKE_DEADLINE,
    STEP_DEADLINE,
    Deadline,
    WorkflowRepository,
)
from dvc_workflow.service.context import Context

Kind = Literal["intake", "processing", "step"]

PASSES: tuple[tuple[EventType[Any], Deadline, Kind], ...] = (
    (DOSSIER_OVERDUE, INTAKE_DEADLINE, "intake"),
    (DOSSIER_DUE_SOON, DUE_SOON, "processing"),
    (DOSSIER_OVERDUE, APPOINTMENT, "processing"),
    (DOSSIER_STEP_OVERDUE, STEP_DEADLINE, "step"),
)
"""Which event each watched deadline raises, in the order the passes run."""


async def supervise(session: AsyncSession, ctx: Context, now: datetime, limit: int = 500) -> int:
    """One pass of the deadline supervisor (the caller holds the lease). Returns events emitted."""
    repo = WorkflowRepository(session)
    emitted = 0
    for event_type, deadline, kind in PASSES:
        for d in await repo.claim_deadlines(deadline, now, limit):
            assert d.due_at is not None
            # Due soon is raised at the start of the appointment's day; the event names the appointment.
            due_at = d.appointment_at if deadline is DUE_SOON and d.appointment_at else d.due_at
            payload = DossierDeadline(
                code=d.code,
                procedure_code=d.procedure_code,
                agency_id=d.agency_id,
                kind=kind,
                due_at=due_at,
                step=d.step_id if kind == "step" else None,
            )
            await ctx.outbox.add(session, event_type, payload, subject=d.code)
            emitted += 1
    await repo.record_head(now)
    return emitted
