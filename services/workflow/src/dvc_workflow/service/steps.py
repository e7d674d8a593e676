"""Moving a dossier through its internal process: the current step, the control slip (Mẫu 06)."""

from __future__ import annotations

from datetime import datetime

from dvc_common.auth import Principal
from dvc_common.worktime import Duration, check_step
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep
from dvc_workflow.models import Dossier, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.context import Context
from dvc_workflow.service.deadlines import check_due, step_due


async def process_of(repo: WorkflowRepository, dossier: Dossier) -> ProcessDefinition | None:
    if dossier.process_id is None:
        return None
    process = await repo.process(dossier.process_id)
    return ProcessDefinition.model_validate(process.definition) if process else None


def current_step(process: ProcessDefinition | None, dossier: Dossier) -> ProcessStep | None:
    if process is None or dossier.step_id is None:
        return None
    return process.step(dossier.step_id)


async def move_to(
    repo: WorkflowRepository,
    ctx: Context,
    dossier: Dossier,
    step: ProcessStep | None,
    actor: Principal,
    now: datetime,
) -> None:
    """Close the open step (coloured by the engine) and open `step`."""
    open_step = await repo.open_step(dossier.code)
    if open_step is not None:
        open_step.handed_on_at = now
        open_step.officer_subject = open_step.officer_subject or actor.subject
        open_step.officer_name = open_step.officer_name or actor.name
        budget = await _budget(repo, dossier, open_step.step_id)
        if budget is not None:
            checked = check_step(ctx.calendar, open_step.step_name, budget, open_step.received_at, now)
            open_step.color, open_step.explanation = checked.color.value, checked.explanation
        elif open_step.due_at is not None:
            open_step.color, open_step.explanation = check_due(ctx, dossier, open_step, now)
        repo.add(open_step)
    dossier.step_agency_id = step.agency_id if step is not None and step.kind == "inter_agency" else None
    if step is None:
        return
    dossier.step_id = step.id
    dossier.step_started_at = now
    dossier.step_due_at = step_due(ctx, step, now)
    dossier.step_overdue_sent = False
    dossier.assignee_subject = dossier.assignee_name = dossier.assignee_department = None
    repo.add(
        StepLog(
            dossier_code=dossier.code,
            step_id=step.id,
            step_name=step.name,
            received_at=now,
            due_at=dossier.step_due_at,
        )
    )


async def _budget(repo: WorkflowRepository, dossier: Dossier, step_id: str) -> Duration | None:
    process = await process_of(repo, dossier)
    if process is None:
        return None
    try:
        budget = process.step(step_id).budget
    except KeyError:
        return None
    return budget.duration() if budget is not None else None
