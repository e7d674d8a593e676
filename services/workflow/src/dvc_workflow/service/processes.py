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
    procedure = await repo.procedure(procedure_code)
    if procedure is None:
        raise errors.procedure_not_found(procedure_code)
    _require_agency(actor, agency_id)
    performing = [a.agency_id for a in procedure_definition(procedure).performing_agencies()]
    if agency_id not in performing:
        raise errors.agency_not_performing(procedure_code, agency_id, performing)
    for step in definition.steps:
        if step.agency_id is not None and not await _known_agency(repo, step.agency_id):
            raise errors.agency_unknown(step.agency_id, step.name)
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
    definition = procedure_definition(procedure)
    reasons = validate(
        ProcessDefinition.model_validate(process.definition),
        definition.processing_time,
        charges_fees=bool(definition.fees_of(process.agency_id)),
    )
    if reasons:
        raise errors.process_invalid(reasons)
    now = clock.now()
    process.state = "published"
    process.published_at = now
    repo.add(process)
    assert process.id is not None
    # One version in force per procedure and agency: the older ones are superseded (dossiers opened on
    # them keep them).
    superseded = await repo.supersede_published(process.procedure_code, process.agency_id, process.id, now)
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
        {"version": process.version, "superseded": superseded},
    )
    return process


async def delete_draft(session: AsyncSession, actor: Principal, process_id: int) -> None:
    """A draft that was never published (e.g. failed validation) can be deleted; published versions stay."""
    repo = WorkflowRepository(session)
    process = await repo.process(process_id, lock=True)
    if process is None:
        raise errors.process_not_found(process_id)
    _require_agency(actor, process.agency_id)
    if process.state != "draft":
        raise errors.process_not_deletable(process.state)
    await repo.delete_process(process)
    await append_audit(
        session,
        actor.subject,
        "process.delete_draft",
        f"{process.procedure_code}@{process.agency_id}",
        {"version": process.version},
    )


async def list_processes(session: AsyncSession, procedure_code: str, agency_id: str) -> list[Process]:
    return await WorkflowRepository(session).processes(procedure_code, agency_id)


async def _known_agency(repo: WorkflowRepository, agency_id: str) -> bool:
    """In identity's tree as workflow heard of it, or performing a procedure of the catalog."""
    if await repo.agency(agency_id) is not None:
        return True
    return any(
        agency_id in {a.agency_id for a in procedure_definition(p).performing_agencies()}
        for p in await repo.procedures()
    )


def _require_agency(actor: Principal, agency_id: str) -> None:
    if "provincial_operator" in actor.roles:
        return
    if actor.agency_id != agency_id:
        raise errors.other_agency_data(actor.agency_id, agency_id)
