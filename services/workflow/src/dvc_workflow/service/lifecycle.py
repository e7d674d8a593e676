"""Applying an action to a dossier under its row lock, then writing state, history, audit, events."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.events import DOSSIER_STATUS_CHANGED, DossierStatusChanged, ProcessingStep
from dvc_common.problems import Problem
from dvc_common.worktime import ClockError
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.errors import dossier_not_found
from dvc_workflow.models import Dossier, StatusHistory
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.actions import Change, apply
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import SYSTEM, Context
from dvc_workflow.service.deadlines import queue_due
from dvc_workflow.service.permissions import authorise
from dvc_workflow.service.steps import current_step, process_of


async def transition(
    session: AsyncSession,
    ctx: Context,
    code: str,
    action: Action,
    actor: Principal,
    request: ActionRequest,
    now: datetime,
) -> Dossier:
    """Apply one action to a dossier under its row lock: authorise, check the expected state and the
    lifecycle, compute times with the working-time engine, then write state, history, audit and events."""
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code, lock=True)
    if dossier is None:
        raise dossier_not_found(code)
    process = await process_of(repo, dossier)
    step = current_step(process, dossier)
    authorise(dossier, step, action, actor)
    if (request.expected_status is not None and request.expected_status != dossier.status) or (
        request.expected_version is not None and request.expected_version != dossier.version
    ):
        raise Problem(
            409,
            "state-conflict",
            "Hồ sơ đã thay đổi",
            f"Hồ sơ đang ở trạng thái {dossier.status} «{lc.status_name(dossier.status)}» (phiên bản "
            f"{dossier.version}), khác với trạng thái bạn đang xem; vui lòng tải lại.",
            current_status=dossier.status,
            current_version=dossier.version,
            allowed_actions=[a.value for a in lc.allowed_actions(dossier.status)],
        )
    verdict = lc.check_status(action, dossier.status)
    if not verdict.allowed:
        raise Problem(
            409,
            "illegal-transition",
            "Thao tác không hợp lệ với trạng thái hiện tại",
            verdict.reason,
            current_status=dossier.status,
            current_status_name=lc.status_name(dossier.status),
            allowed_actions=[a.value for a in lc.allowed_actions(dossier.status)],
        )
    procedure = await repo.procedure(dossier.procedure_code)
    if procedure is None:
        raise Problem(
            409,
            "procedure-not-found",
            "Không tìm thấy thủ tục",
            f"Thủ tục «{dossier.procedure_code}» chưa có trong danh mục.",
        )
    definition = procedure_definition(procedure)
    previous = dossier.status
    try:
        change = await apply(repo, ctx, dossier, process, step, definition, action, actor, request, now)
    except ClockError as exc:
        raise Problem(
            409,
            "deadline-rule",
            "Không thực hiện được theo quy định về thời hạn",
            str(exc),
            current_status=dossier.status,
        ) from exc
    await commit(session, ctx, repo, dossier, previous, change, action, actor, request, now)
    return dossier


async def commit(
    session: AsyncSession,
    ctx: Context,
    repo: WorkflowRepository,
    dossier: Dossier,
    previous: int,
    change: Change,
    action: Action | str,
    actor: Principal,
    request: ActionRequest | None,
    now: datetime,
) -> None:
    dossier.status = change.status
    dossier.version += 1
    dossier.updated_at = now
    dossier.in_queue = change.status in lc.QUEUE_STATUSES and change.status != lc.SUPPLEMENT_REQUESTED
    dossier.due_at = queue_due(dossier)
    repo.add(dossier)
    action_name = action.value if isinstance(action, Action) else action
    repo.add(
        StatusHistory(
            dossier_code=dossier.code,
            status=change.status,
            changed_at=now,
            note=change.note,
            action=action_name,
            actor_subject=actor.subject,
            actor_name=actor.name,
        )
    )
    for event_type, payload in change.events or []:
        await ctx.outbox.add(session, event_type, payload, subject=dossier.code)
    if change.status != previous or action_name == Action.EXTEND.value:
        await ctx.outbox.add(
            session,
            DOSSIER_STATUS_CHANGED,
            DossierStatusChanged(
                code=dossier.code,
                procedure_code=dossier.procedure_code,
                agency_id=dossier.agency_id,
                status=change.status,
                status_name=lc.status_name(change.status),
                previous_status=previous,
                changed_at=now,
                note=change.note,
                received_at=dossier.received_at,
                appointment_at=dossier.appointment_at,
                step=ProcessingStep(
                    officer_name=actor.name or ("Hệ thống" if actor.subject == SYSTEM else actor.subject),
                    officer_position=actor.position,
                    department=dossier.assignee_department,
                    content=change.step_content
                    or (action.label_vi if isinstance(action, Action) else action_name),
                    started_at=dossier.step_started_at,
                    due_at=dossier.step_due_at,
                ),
            ),
            subject=dossier.code,
        )
    await append_audit(
        session,
        actor.subject,
        f"dossier.{action_name}",
        dossier.code,
        {
            "from": previous,
            "to": change.status,
            "version": dossier.version,
            "note": change.note,
            "agency": actor.agency_id,
            "request": request.model_dump(mode="json", exclude_none=True) if request else {},
        },
        at=now,
    )
