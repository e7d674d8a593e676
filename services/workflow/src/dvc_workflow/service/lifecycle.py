"""Applying an action to a dossier under its row lock, then writing state, history, audit, events."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import DOSSIER_STATUS_CHANGED, DossierStatusChanged, ProcessingStep
from dvc_common.events.dossier import DOSSIER_STEP_CHANGED, DossierStepChanged
from dvc_common.principal import Principal
from dvc_common.worktime import ClockError
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.models import Dossier, StatusHistory
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.actions import apply
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import SYSTEM, Context
from dvc_workflow.service.deadlines import queue_due
from dvc_workflow.service.permissions import authorise
from dvc_workflow.service.steps import current_step, process_of
from dvc_workflow.service.timeline import DossierState
from dvc_workflow.service.transition import Change, Transition


async def transition(
    session: AsyncSession,
    ctx: Context,
    code: str,
    action: Action,
    actor: Principal,
    request: ActionRequest,
    now: datetime,
) -> DossierState:
    """Apply one action to a dossier under its row lock: authorise, check the expected state and the
    lifecycle, compute times with the working-time engine, then write state, history, audit and events."""
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code, lock=True)
    if dossier is None:
        raise errors.dossier_not_found(code)
    process = await process_of(repo, dossier)
    step = current_step(process, dossier)
    authorise(dossier, step, action, actor)
    _check_expected(dossier, request)
    verdict = lc.check_status(action, dossier.status)
    if not verdict.allowed:
        raise errors.illegal_transition(dossier.status, verdict.reason)
    procedure = await repo.procedure(dossier.procedure_code)
    if procedure is None:
        raise errors.procedure_not_in_catalog(dossier.procedure_code)
    try:
        t = Transition(
            repo, ctx, dossier, process, step, procedure_definition(procedure), action, actor, request, now
        )
        change = await apply(t)
    except ClockError as exc:
        raise errors.deadline_rule(dossier.status, str(exc)) from exc
    await commit(session, t, change)
    return DossierState(dossier, await repo.history(code))


def _check_expected(dossier: Dossier, request: ActionRequest) -> None:
    """409 when the caller looked at another status or version than the dossier now has."""
    if (request.expected_status is not None and request.expected_status != dossier.status) or (
        request.expected_version is not None and request.expected_version != dossier.version
    ):
        raise errors.state_conflict(dossier.status, dossier.version)


async def commit(session: AsyncSession, t: Transition, change: Change, *, recorded_as: str = "") -> None:
    """Write what `change` says: the dossier's state and queue position, a history row, the events
    (a status change to the national portal when the status moved or the appointment was extended) and
    an audit entry. `recorded_as` names the action in history and audit when it is not one of
    `Action` (e.g. "payment_completed")."""
    d = t.dossier
    name = recorded_as or t.action.value
    d.status = change.status
    d.version += 1
    d.updated_at = t.now
    d.in_queue = change.status in lc.QUEUE_STATUSES and change.status != lc.SUPPLEMENT_REQUESTED
    d.due_at = queue_due(d)
    t.repo.add(d)
    t.repo.add(
        StatusHistory(
            dossier_code=d.code,
            status=change.status,
            changed_at=t.now,
            note=change.note,
            action=name,
            actor_subject=t.actor.subject,
            actor_name=t.actor.name,
        )
    )
    for event_type, payload in change.events:
        await t.ctx.outbox.add(session, event_type, payload, subject=d.code)
    if change.status != t.previous or name == Action.EXTEND.value:
        await t.ctx.outbox.add(
            session, DOSSIER_STATUS_CHANGED, _status_changed(t, change, recorded_as), subject=d.code
        )
    elif name in STEP_ACTIONS:
        await t.ctx.outbox.add(session, DOSSIER_STEP_CHANGED, _step_changed(t, change, name), subject=d.code)
    await append_audit(
        session,
        t.actor.subject,
        f"dossier.{name}",
        d.code,
        {
            "from": t.previous,
            "to": change.status,
            "version": d.version,
            "note": change.note,
            "agency": t.actor.agency_id,
            "request": t.request.model_dump(mode="json", exclude_none=True),
        },
        at=t.now,
    )


# Actions that may keep the national status while the internal step changes (dossier.step_changed.v1).
STEP_ACTIONS = frozenset({"assign", "forward", "send_back", "transfer", "payment_completed"})


def _processing_step(t: Transition, change: Change, recorded_as: str) -> ProcessingStep:
    d, actor = t.dossier, t.actor
    return ProcessingStep(
        officer_name=actor.name or ("Hệ thống" if actor.subject == SYSTEM else actor.subject),
        officer_position=actor.position,
        department=d.assignee_department,
        content=change.step_content or recorded_as or t.action.label_vi,
        started_at=d.step_started_at,
        due_at=d.step_due_at,
    )


def _step_changed(t: Transition, change: Change, name: str) -> DossierStepChanged:
    d = t.dossier
    step = t.process.step(d.step_id) if t.process is not None and d.step_id else None
    return DossierStepChanged(
        code=d.code,
        procedure_code=d.procedure_code,
        agency_id=d.agency_id,
        status=change.status,
        status_name=lc.status_name(change.status),
        action=name,  # one of STEP_ACTIONS (validated)
        changed_at=t.now,
        step_id=d.step_id,
        step_name=step.name if step else None,
        step_agency_id=d.step_agency_id,
        assignee_name=d.assignee_name,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        step=_processing_step(t, change, name),
    )


def _status_changed(t: Transition, change: Change, recorded_as: str) -> DossierStatusChanged:
    d = t.dossier
    return DossierStatusChanged(
        code=d.code,
        procedure_code=d.procedure_code,
        agency_id=d.agency_id,
        status=change.status,
        status_name=lc.status_name(change.status),
        previous_status=t.previous,
        changed_at=t.now,
        note=change.note,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        step=_processing_step(t, change, recorded_as),
    )
