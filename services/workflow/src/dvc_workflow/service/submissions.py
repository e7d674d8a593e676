"""What intake sends: a submitted dossier opens, an uploaded supplement re-enters the queue."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DOSSIER_RESUBMITTED,
    DOSSIER_STATUS_CHANGED,
    CloudEvent,
    DossierStatusChanged,
    DossierSubmitted,
)
from dvc_common.outbox import Outbox
from dvc_common.worktime import Calendar, add_duration, intake_deadline
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.process import ProcessDefinition
from dvc_workflow.models import Dossier, StatusHistory, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.context import Context

log = logging.getLogger(__name__)


async def open_dossier(
    session: AsyncSession, outbox: Outbox, event: CloudEvent, calendar: Calendar | None = None
) -> None:
    """A submitted dossier enters the lifecycle in national status 1 (newly registered), on the latest
    published internal process of its procedure and agency, with the 8-working-hour intake deadline."""
    submitted = DossierSubmitted.model_validate(event.data)
    repo = WorkflowRepository(session)
    process = await repo.latest_published(submitted.procedure_code, submitted.agency_id)
    step = ProcessDefinition.model_validate(process.definition).first if process else None
    intake_due = step_due = None
    if calendar is not None:
        intake_due = intake_deadline(calendar, submitted.submitted_at).instant
        if step is not None and step.budget is not None:
            step_due = add_duration(calendar, submitted.submitted_at, step.budget.duration()).instant
    dossier = Dossier(
        code=submitted.code,
        procedure_code=submitted.procedure_code,
        agency_id=submitted.agency_id,
        status=lc.NEWLY_REGISTERED,
        submitted_at=submitted.submitted_at,
        updated_at=submitted.submitted_at,
        channel=submitted.channel,
        owner_subject=submitted.owner_subject,
        process_id=process.id if process else None,
        step_id=step.id if step else None,
        step_due_at=step_due,
        intake_due_at=intake_due,
        due_at=intake_due or step_due or submitted.submitted_at,
    )
    if not await repo.open_dossier(dossier):
        log.info("dossier already open", extra={"code": submitted.code})
        return
    repo.add(
        StatusHistory(
            dossier_code=submitted.code,
            status=lc.NEWLY_REGISTERED,
            changed_at=submitted.submitted_at,
            action="submit",
            actor_subject=submitted.owner_subject,
        )
    )
    if step is not None:
        repo.add(
            StepLog(
                dossier_code=submitted.code,
                step_id=step.id,
                step_name=step.name,
                received_at=submitted.submitted_at,
                due_at=step_due,
            )
        )
    await outbox.add(
        session,
        DOSSIER_STATUS_CHANGED,
        DossierStatusChanged(
            code=submitted.code,
            procedure_code=submitted.procedure_code,
            agency_id=submitted.agency_id,
            status=lc.NEWLY_REGISTERED,
            status_name=lc.status_name(lc.NEWLY_REGISTERED),
            previous_status=None,
            changed_at=submitted.submitted_at,
        ),
        subject=submitted.code,
        correlation_id=event.correlationid,
    )
    await append_audit(
        session,
        submitted.owner_subject or "applicant",
        "dossier.submit",
        submitted.code,
        {"status": lc.NEWLY_REGISTERED},
    )
    log.info("dossier opened", extra={"code": submitted.code, "status": lc.NEWLY_REGISTERED})


async def supplement_uploaded(session: AsyncSession, ctx: Context, event: CloudEvent) -> None:
    """The applicant uploaded the supplement at intake: the dossier (still status 5) goes back into the
    one-stop officers' queue, due within 8 working hours, until an officer receives it again."""
    uploaded = DOSSIER_RESUBMITTED.parse(event.data)
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(uploaded.code, lock=True)
    if dossier is None or dossier.status != lc.SUPPLEMENT_REQUESTED:
        log.info("supplement for a dossier not awaiting one", extra={"code": uploaded.code})
        return
    dossier.in_queue = True
    dossier.due_at = intake_deadline(ctx.calendar, uploaded.resubmitted_at).instant
    dossier.version += 1
    dossier.updated_at = uploaded.resubmitted_at
    repo.add(dossier)
    note = f"Người nộp đã bổ sung hồ sơ (lần {uploaded.supplement_round}, {len(uploaded.files)} tệp); chờ tiếp nhận lại"
    repo.add(
        StatusHistory(
            dossier_code=dossier.code,
            status=dossier.status,
            changed_at=uploaded.resubmitted_at,
            note=note,
            action="supplement_uploaded",
            actor_subject=dossier.owner_subject,
        )
    )
    await append_audit(
        session,
        dossier.owner_subject or "applicant",
        "dossier.supplement_uploaded",
        dossier.code,
        {"round": uploaded.supplement_round, "files": [f.sha256 for f in uploaded.files]},
    )
