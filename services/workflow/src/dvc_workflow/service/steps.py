"""Moving a dossier through its internal process: the current step, the control slip (Mẫu 06)."""

from __future__ import annotations

from dvc_common.worktime import Duration, check_step, fmt_instant
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep
from dvc_workflow.models import Dossier, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.deadlines import check_due, step_due
from dvc_workflow.service.transition import Transition


async def process_of(repo: WorkflowRepository, dossier: Dossier) -> ProcessDefinition | None:
    if dossier.process_id is None:
        return None
    process = await repo.process(dossier.process_id)
    return ProcessDefinition.model_validate(process.definition) if process else None


def current_step(process: ProcessDefinition | None, dossier: Dossier) -> ProcessStep | None:
    if process is None or dossier.step_id is None:
        return None
    return process.step(dossier.step_id)


async def move_to(t: Transition, step: ProcessStep | None) -> None:
    """Close the open step (coloured by the engine) and open `step` (None: the dossier leaves the
    process, e.g. rejected or returned)."""
    await _close_open_step(t)
    dossier = t.dossier
    dossier.step_agency_id = step.agency_id if step is not None and step.kind == "inter_agency" else None
    if step is None:
        return
    dossier.step_id = step.id
    dossier.step_started_at = t.now
    # A payment step waits for the applicant: no due time of the agency's (Điện Biên Điều 13.5).
    dossier.step_due_at = None if step.kind == "payment" else step_due(t.ctx, step, t.now)
    dossier.step_overdue_sent = False
    dossier.assignee_subject = dossier.assignee_name = dossier.assignee_department = None
    t.repo.add(
        StepLog(
            dossier_code=dossier.code,
            step_id=step.id,
            step_name=step.name,
            received_at=t.now,
            due_at=dossier.step_due_at,
        )
    )


async def _close_open_step(t: Transition) -> None:
    open_step = await t.repo.open_step(t.dossier.code)
    if open_step is None:
        return
    open_step.handed_on_at = t.now
    open_step.officer_subject = open_step.officer_subject or t.actor.subject
    open_step.officer_name = open_step.officer_name or t.actor.name
    budget = _budget(t.process, open_step.step_id)
    if _is_payment(t.process, open_step.step_id):
        open_step.color = "green"
        open_step.explanation = (
            f"Chờ người nộp thực hiện nghĩa vụ tài chính từ {fmt_instant(t.ctx.calendar.local(open_step.received_at))}"
            f" đến {fmt_instant(t.ctx.calendar.local(t.now))}; thời gian này không tính vào thời hạn giải quyết"
            " của cơ quan"
        )
    elif budget is not None:
        checked = check_step(t.ctx.calendar, open_step.step_name, budget, open_step.received_at, t.now)
        open_step.color, open_step.explanation = checked.color.value, checked.explanation
    elif open_step.due_at is not None:
        open_step.color, open_step.explanation = check_due(t.ctx, open_step, t.now)
    t.repo.add(open_step)


def _is_payment(process: ProcessDefinition | None, step_id: str) -> bool:
    return process is not None and any(s.id == step_id and s.kind == "payment" for s in process.steps)


def _budget(process: ProcessDefinition | None, step_id: str) -> Duration | None:
    if process is None:
        return None
    try:
        budget = process.step(step_id).budget
    except KeyError:
        return None
    return budget.duration() if budget is not None else None
