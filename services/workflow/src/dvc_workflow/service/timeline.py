"""Reading a dossier: its state, its timeline and control slip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.principal import Principal
from dvc_workflow.errors import dossier_not_found
from dvc_workflow.models import Dossier, StatusHistory, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ControlSlipRow, DossierTimeline, lifecycle_view
from dvc_workflow.service.context import Context
from dvc_workflow.service.deadlines import check_due, clock_of


@dataclass(frozen=True)
class DossierState:
    dossier: Dossier
    history: list[StatusHistory]


async def dossier_state(session: AsyncSession, code: str) -> DossierState:
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise dossier_not_found(code)
    return DossierState(dossier, await repo.history(code))


@dataclass(frozen=True)
class Lookup:
    """A dossier found by its code; `full` when the caller may read it (else the public look-up)."""

    dossier: Dossier
    history: list[StatusHistory]
    full: bool


async def look_up(session: AsyncSession, code: str, reader: Principal | None) -> Lookup:
    """The look-up by code anyone may do; its reader (if any) may see the full detail."""
    state = await dossier_state(session, code)
    full = reader is not None and may_read(state.dossier, reader)
    return Lookup(state.dossier, state.history, full)


def may_read(dossier: Dossier, actor: Principal) -> bool:
    """The shared rule (dvc_common.access); the agency of an inter-agency step or a transfer, and the
    one-stop desk receiving for the agency, which `permissions.authorise` let act on it, read it too."""
    others = {dossier.step_agency_id, dossier.receiving_agency_id} - {None, dossier.agency_id}
    facts = DossierFacts(dossier.agency_id, dossier.owner_subject, frozenset(a for a in others if a))
    return may_read_dossier(actor, facts)


async def timeline(
    session: AsyncSession, ctx: Context, code: str, actor: Principal, now: datetime
) -> DossierTimeline:
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None or not may_read(dossier, actor):
        raise dossier_not_found(code)  # a citizen must not learn that somebody else's code exists
    history = await repo.history(code)
    steps = await repo.step_log(code)
    clock = clock_of(ctx, dossier)
    return DossierTimeline(
        lifecycle=lifecycle_view(dossier, history),
        deadline=dossier.deadline,
        clock=clock.status(now).explanation if clock else None,
        timeliness_explanation=dossier.timeliness_explanation,
        control_slip=[_slip_row(ctx, s, now) for s in steps],
    )


def _slip_row(ctx: Context, entry: StepLog, now: datetime) -> ControlSlipRow:
    color, explanation = entry.color, entry.explanation
    if entry.handed_on_at is None and entry.due_at is not None:
        color, explanation = check_due(ctx, entry, now)
    return ControlSlipRow(
        step_id=entry.step_id,
        step_name=entry.step_name,
        officer_name=entry.officer_name,
        department=entry.department,
        received_at=entry.received_at,
        handed_on_at=entry.handed_on_at,
        due_at=entry.due_at,
        color=color,
        on_time=None if color is None else color == "green",
        explanation=explanation,
    )
