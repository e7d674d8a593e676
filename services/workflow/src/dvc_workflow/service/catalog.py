"""The procedure catalog: store it, announce new or changed procedures, import."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import PROCEDURE_PUBLISHED, ProcedureAgency, ProcedurePublished
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.process import default_process
from dvc_workflow.models import Procedure, Process
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.audit import append_audit
from dvc_workflow.service.context import SYSTEM, Context

log = logging.getLogger(__name__)


def published_payload(procedure: ProcedureDefinition) -> ProcedurePublished:
    return ProcedurePublished(
        code=procedure.code,
        name=procedure.name,
        field_name=procedure.field_name,
        agency_id=procedure.agency_id,
        agency_name=procedure.agency_name,
        processing_time=procedure.processing_time,
        online_level=procedure.online_level,
        components=procedure.components,
        revision=procedure.revision,
        fees=procedure.fees,
        result_documents=procedure.result_documents,
        signature_required=procedure.signature_required,
        result_delivery=procedure.result_delivery,
        form_schema=procedure.eform_schema,
        agencies=[
            ProcedureAgency(
                agency_id=agency.agency_id,
                agency_name=agency.agency_name,
                receiving_agency_id=agency.receiving_agency_id,
                fees=procedure.fees_of(agency.agency_id),
                beneficiary_agency_id=agency.beneficiary_agency_id,
            )
            for agency in procedure.performing_agencies()
        ],
    )


async def publish_catalog(session: AsyncSession, outbox: Outbox, catalog: list[ProcedureDefinition]) -> int:
    """Store the catalog; announce each new or changed procedure once; give every procedure without an
    internal process a default one (published, version 1). Returns how many were announced."""
    repo = WorkflowRepository(session)
    now = clock.now()
    announced = 0
    for procedure in catalog:
        if await repo.publish_procedure(
            procedure.code, procedure.model_dump(mode="json"), procedure.revision, now
        ):
            await outbox.add(
                session, PROCEDURE_PUBLISHED, published_payload(procedure), subject=procedure.code
            )
            announced += 1
        for agency in procedure.performing_agencies():
            if await repo.latest_published(procedure.code, agency.agency_id) is not None:
                continue
            definition = default_process(
                procedure.processing_time, with_payment=bool(procedure.fees_of(agency.agency_id))
            )
            version = await repo.next_process_version(procedure.code, agency.agency_id)
            await repo.add_process(
                Process(
                    procedure_code=procedure.code,
                    agency_id=agency.agency_id,
                    version=version,
                    state="published",
                    definition=definition.model_dump(mode="json"),
                    created_by=SYSTEM,
                    created_at=now,
                    published_at=now,
                )
            )
    log.info("catalog loaded", extra={"procedures": len(catalog), "announced": announced})
    return announced


async def list_procedures(session: AsyncSession) -> list[Procedure]:
    return await WorkflowRepository(session).procedures()


async def import_procedures(
    session: AsyncSession, ctx: Context, actor: Principal, procedures: list[ProcedureDefinition]
) -> int:
    announced = await publish_catalog(session, ctx.outbox, procedures)
    await append_audit(
        session, actor.subject, "procedure.import", "catalog", {"codes": [p.code for p in procedures]}
    )
    return announced


def procedure_definition(procedure: Procedure) -> ProcedureDefinition:
    return ProcedureDefinition.model_validate(procedure.definition)
