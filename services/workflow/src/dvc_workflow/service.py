"""Workflow use-cases. They never commit: the request or message boundary does."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    PROCEDURE_PUBLISHED,
    CloudEvent,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.lifecycle import NEWLY_REGISTERED, status_name
from dvc_workflow.models import Dossier, Procedure, StatusHistory
from dvc_workflow.repository import WorkflowRepository

log = logging.getLogger(__name__)


async def publish_catalog(session: AsyncSession, outbox: Outbox, catalog: list[ProcedureDefinition]) -> int:
    """Store the catalog; announce each new or changed procedure once. Returns how many were announced."""
    repo = WorkflowRepository(session)
    now = datetime.now(UTC)
    announced = 0
    for procedure in catalog:
        if await repo.publish_procedure(
            procedure.code, procedure.model_dump(mode="json"), procedure.revision, now
        ):
            payload = ProcedurePublished(**procedure.model_dump(), revision=procedure.revision)
            await outbox.add(session, PROCEDURE_PUBLISHED, payload, subject=procedure.code)
            announced += 1
    log.info("catalog loaded", extra={"procedures": len(catalog), "announced": announced})
    return announced


async def list_procedures(session: AsyncSession) -> list[Procedure]:
    return await WorkflowRepository(session).procedures()


async def open_dossier(session: AsyncSession, outbox: Outbox, event: CloudEvent) -> None:
    """A submitted dossier enters the lifecycle in national status 1 (newly registered)."""
    submitted = DossierSubmitted.model_validate(event.data)
    repo = WorkflowRepository(session)
    dossier = Dossier(
        code=submitted.code,
        procedure_code=submitted.procedure_code,
        agency_id=submitted.agency_id,
        status=NEWLY_REGISTERED,
        submitted_at=submitted.submitted_at,
        updated_at=submitted.submitted_at,
    )
    if not await repo.open_dossier(dossier):
        log.info("dossier already open", extra={"code": submitted.code})
        return
    repo.add_history(
        StatusHistory(dossier_code=submitted.code, status=NEWLY_REGISTERED, changed_at=submitted.submitted_at)
    )
    await outbox.add(
        session,
        DOSSIER_STATUS_CHANGED,
        DossierStatusChanged(
            code=submitted.code,
            procedure_code=submitted.procedure_code,
            agency_id=submitted.agency_id,
            status=NEWLY_REGISTERED,
            status_name=status_name(NEWLY_REGISTERED),
            previous_status=None,
            changed_at=submitted.submitted_at,
        ),
        subject=submitted.code,
        correlation_id=event.correlationid,
    )
    log.info("dossier opened", extra={"code": submitted.code, "status": NEWLY_REGISTERED})


@dataclass(frozen=True)
class DossierState:
    dossier: Dossier
    history: list[StatusHistory]


async def dossier_state(session: AsyncSession, code: str) -> DossierState:
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")
    return DossierState(dossier, await repo.history(code))
