"""Agencies' internal processes: drafts, validation on publication, versions."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import PROCEDURE_PUBLISHED
from dvc_common.principal import Principal
from dvc_workflow import errors
from dvc_workflow.domain.process import ProcessDefinition, validate
from dvc_workflow.models import Process
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.catalog import procedure_definition, published_payload
from dvc_workflow.service.context import Context


async def create_process_draft(
    session: AsyncSession,
    actor: Principal,
    procedure_code: str,
    agency_id: str,
    definition: ProcessDefinition,
) -> Process:
    repo = WorkflowRepository(session)
    if await repo.procedure(procedure_code) is None:
        raise errors.procedure_not_found(procedure_code)
    _require_agency(actor, agency_id)
    now = clock.now()
    process = await repo.add_process(
        Process(
            procedure_code=procedure_code,
            agency_id=agency_id,
            version=await repo.next_process_version(procedure_code, agency_id),
            state="draft",
            definition=definition.model_dump(mode="json"),
            created_by=actor.subject,
            created_at=now,
        )
    )
    await append_audit(
        session, actor.subject, "process.draft", f"{procedure_code}@{agency_id}", {"version": process.version}
    )
    return process


async def publish_process(session: AsyncSession, ctx: Context, actor: Principal, process_id: int) -> Process:
    repo = WorkflowRepository(session)
    process = await repo.process(process_id, lock=True)
    if process is None:
        raise errors.process_not_found(process_id)
    _require_agency(actor, process.agency_id)
    if process.state != "draft":
        raise errors.process_already_published(process.state)
    procedure = await repo.procedure(process.procedure_code)
    assert procedure is not None
    legal = procedure_definition(procedure).processing_time
    reasons = validate(ProcessDefinition.model_validate(process.definition), legal)
    if reasons:
        raise errors.process_invalid(reasons)
    now = clock.now()
    process.state = "published"
    process.published_at = now
    repo.add(process)
    # Announce the procedure again so intake and payments refresh their copies (fees, delivery, ...).
    await ctx.outbox.add(
        session,
        PROCEDURE_PUBLISHED,
        published_payload(procedure_definition(procedure)),
        subject=procedure.code,
    )
    await append_audit(
        session,
        actor.subject,
        "process.publish",
        f"{process.procedure_code}@{process.agency_id}",
        {"version": process.version},
    )
    return process


async def list_processes(session: AsyncSession, procedure_code: str, agency_id: str) -> list[Process]:
    return await WorkflowRepository(session).processes(procedure_code, agency_id)


def _require_agency(actor: Principal, agency_id: str) -> None:
    if "provincial_operator" in actor.roles:
        return
    if actor.agency_id != agency_id:
        raise errors.other_agency_data(actor.agency_id, agency_id)
