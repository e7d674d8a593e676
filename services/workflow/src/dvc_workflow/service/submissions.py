"""What intake sends: a submitted dossier opens, an uploaded supplement re-enters the queue."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
)
from dvc_common.events.dossier import DossierResultAttached
from dvc_common.worktime import intake_deadline
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep
from dvc_workflow.models import Dossier, Process, StatusHistory, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import Context
from dvc_workflow.service.deadlines import step_due

log = logging.getLogger(__name__)


async def open_dossier(
    session: AsyncSession, ctx: Context, submitted: DossierSubmitted, *, correlation_id: str
) -> None:
    """A submitted dossier enters the lifecycle in national status 1 (newly registered), on the latest
    published internal process of its procedure and agency, with the 8-working-hour intake deadline."""
    repo = WorkflowRepository(session)
    process = await repo.latest_published(submitted.procedure_code, submitted.agency_id)
    step = ProcessDefinition.model_validate(process.definition).first if process else None
    dossier = _new_dossier(ctx, submitted, process, step)
    procedure = await repo.procedure(submitted.procedure_code)
    if procedure is not None:
        performing = procedure_definition(procedure).performing_agency(submitted.agency_id)
        dossier.receiving_agency_id = performing.receiving_agency_id if performing else None
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
                due_at=dossier.step_due_at,
            )
        )
    await ctx.outbox.add(
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
        correlation_id=correlation_id,
    )
    await append_audit(
        session,
        submitted.owner_subject or "applicant",
        "dossier.submit",
        submitted.code,
        {"status": lc.NEWLY_REGISTERED},
    )
    log.info("dossier opened", extra={"code": submitted.code, "status": lc.NEWLY_REGISTERED})


def _new_dossier(
    ctx: Context, submitted: DossierSubmitted, process: Process | None, step: ProcessStep | None
) -> Dossier:
    at: datetime = submitted.submitted_at
    intake_due = intake_deadline(ctx.calendar, at).instant
    first_step_due = step_due(ctx, step, at) if step is not None else None
    return Dossier(
        code=submitted.code,
        procedure_code=submitted.procedure_code,
        agency_id=submitted.agency_id,
        status=lc.NEWLY_REGISTERED,
        submitted_at=at,
        updated_at=at,
        channel=submitted.channel,
        owner_subject=submitted.owner_subject,
        process_id=process.id if process else None,
        step_id=step.id if step else None,
        step_due_at=first_step_due,
        intake_due_at=intake_due,
        due_at=intake_due,
    )


async def supplement_uploaded(session: AsyncSession, ctx: Context, uploaded: DossierResubmitted) -> None:
    """The applicant uploaded the supplement at intake: the dossier (still status 5) goes back into the
    one-stop officers' queue, due within 8 working hours, until an officer receives it again."""
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


async def result_attached(session: AsyncSession, attached: DossierResultAttached) -> None:
    """The agency attached the electronic result at intake (in the owner's data store): an online
    return may now happen. Idempotent: documents are kept by their position."""
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(attached.code, lock=True)
    if dossier is None:
        log.info("result for an unknown dossier", extra={"code": attached.code})
        return
    known = {int(d["position"]) for d in dossier.result_documents}
    new = [d.model_dump(mode="json") for d in attached.documents if d.position not in known]
    if not new:
        return
    dossier.result_documents = [*dossier.result_documents, *new]
    repo.add(dossier)
    repo.add(
        StatusHistory(
            dossier_code=dossier.code,
            status=dossier.status,
            changed_at=attached.attached_at,
            note=f"Đã đính kèm kết quả điện tử ({len(new)} tệp)",
            action="result_attached",
        )
    )
    await append_audit(
        session,
        "intake",
        "dossier.result_attached",
        dossier.code,
        {"files": [d["sha256"] for d in new]},
    )
