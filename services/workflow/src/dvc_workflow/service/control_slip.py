"""The control slip of one dossier (Mẫu 06) from workflow's step log, as a PDF, for those who may read
the dossier (the shared read-access policy)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.events import NationalStatus
from dvc_common.principal import Principal
from dvc_workflow.errors import dossier_not_found
from dvc_workflow.forms import ControlSlip, ControlStep, render_control_slip
from dvc_workflow.models import Dossier, StepLog
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import Context, FormsConfig
from dvc_workflow.service.directory import letterhead
from dvc_workflow.service.steps import process_of


def control_steps(dossier: Dossier, log: list[StepLog]) -> list[ControlStep]:
    """Each step with who handed the dossier over (the officer of the step before) and who took it;
    the open step's taker is the officer it is assigned to."""
    steps, giver = [], None
    for entry in log:
        taker, department = entry.officer_name, entry.department
        if entry.handed_on_at is None:
            taker = taker or dossier.assignee_name
            department = department or dossier.assignee_department
        steps.append(
            ControlStep(
                entry.step_name, department, giver, taker, entry.received_at, entry.due_at, entry.handed_on_at
            )
        )
        giver = entry.officer_name
    return steps


async def _readable(repo: WorkflowRepository, code: str, actor: Principal) -> Dossier:
    dossier = await repo.dossier(code)
    facts = (
        DossierFacts.of(dossier.agency_id, dossier.owner_subject, step_agency_id=dossier.step_agency_id)
        if dossier
        else None
    )
    if dossier is None or facts is None or not may_read_dossier(actor, facts):
        raise dossier_not_found(code)  # a citizen must not learn that somebody else's code exists
    return dossier


async def control_slip_pdf(
    session: AsyncSession, ctx: Context, forms: FormsConfig, code: str, actor: Principal, now: datetime
) -> bytes:
    repo = WorkflowRepository(session)
    dossier = await _readable(repo, code, actor)
    procedure = await repo.procedure(dossier.procedure_code)
    definition = procedure_definition(procedure) if procedure else None
    head = await letterhead(
        repo, dossier.agency_id, definition.agency_name if definition else dossier.agency_id, forms.place
    )
    process = await process_of(repo, dossier)
    partners = (
        [s.agency_id for s in process.steps if s.kind == "inter_agency" and s.agency_id] if process else []
    )
    coordinating = [(await letterhead(repo, a, a, None)).agency for a in dict.fromkeys(partners)]
    applicant = (await repo.applicants([code])).get(code)
    # The officer's receipt as it happened; the dossier's received_at is the counting start.
    received = (await repo.reached([code], NationalStatus.RECEIVED)).get(code, dossier.received_at)
    slip = ControlSlip(
        letterhead=head,
        code=code,
        procedure_name=definition.name if definition else dossier.procedure_code,
        handling_agency=head.agency,
        received_at=received,
        appointment_at=dossier.appointment_at,
        steps=control_steps(dossier, await repo.step_log(code)),
        issued_at=now,
        tz=ctx.calendar.zone,
        applicant_name=applicant.name if applicant else None,
        coordinating_agencies=coordinating,
        counted_from=dossier.received_at,
    )
    return await asyncio.to_thread(render_control_slip, slip, font_dir=forms.font_dir)
