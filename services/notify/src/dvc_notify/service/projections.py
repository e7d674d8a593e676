"""Local copies notify keeps from other services' events: the catalog's procedure names and
receiving desks, identity's agencies and officers (internal), and each dossier's handling."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import EventMeta
from dvc_common.events import (
    AgencyUpserted,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
    OfficerLocked,
    OfficerUpserted,
    ProcedurePublished,
)
from dvc_common.events.dossier import DossierStepChanged
from dvc_notify.models import AgencyName, DossierWork, OfficerContact, ProcedureName
from dvc_notify.repository import NotifyRepository


async def procedure_published(session: AsyncSession, meta: EventMeta, event: ProcedurePublished) -> None:
    receivers = {a.agency_id: a.receiving_agency_id or a.agency_id for a in event.agencies}
    receivers.setdefault(event.agency_id, event.agency_id)
    await NotifyRepository(session).save(
        ProcedureName(code=event.code, name=event.name, receivers=receivers, updated_at=meta.time)
    )


async def agency_upserted(session: AsyncSession, meta: EventMeta, event: AgencyUpserted) -> None:
    await NotifyRepository(session).save(
        AgencyName(agency_id=event.agency_id, name=event.name, updated_at=meta.time)
    )


async def officer_upserted(session: AsyncSession, meta: EventMeta, event: OfficerUpserted) -> None:
    repo = NotifyRepository(session)
    known = await repo.officer(event.officer_id)
    if known is not None and known.updated_at > event.updated_at:
        return  # an older state arriving late
    await repo.save(
        OfficerContact(
            officer_id=event.officer_id,
            agency_id=event.agency_id,
            name=event.name,
            department=event.department,
            department_name=event.department_name,
            email=event.email,
            roles=list(event.roles),
            active=event.active,
            updated_at=event.updated_at,
        )
    )


async def officer_locked(session: AsyncSession, meta: EventMeta, event: OfficerLocked) -> None:
    repo = NotifyRepository(session)
    known = await repo.officer(event.officer_id)
    if known is not None:
        known.active = False
        await repo.save(known)


async def dossier_submitted(session: AsyncSession, meta: EventMeta, event: DossierSubmitted) -> DossierWork:
    repo = NotifyRepository(session)
    work = await repo.dossier(event.code) or DossierWork(
        code=event.code, procedure_code=event.procedure_code, agency_id=event.agency_id, updated_at=meta.time
    )
    work.procedure_code, work.agency_id, work.channel = event.procedure_code, event.agency_id, event.channel
    await repo.save(work)
    return work


async def dossier_handled(
    session: AsyncSession,
    meta: EventMeta,
    event: DossierStatusChanged | DossierStepChanged | DossierResubmitted,
) -> DossierWork:
    """The dossier's procedure and agency, and who handles it now: the department a status change or
    a step names, and the officer a step assigns it to (a status change moves it on: nobody yet)."""
    repo = NotifyRepository(session)
    work = await repo.dossier(event.code) or DossierWork(
        code=event.code, procedure_code=event.procedure_code, agency_id=event.agency_id, updated_at=meta.time
    )
    if isinstance(event, DossierStatusChanged | DossierStepChanged) and meta.time >= work.updated_at:
        work.department = event.step.department if event.step is not None else None
        work.assignee_name = event.assignee_name if isinstance(event, DossierStepChanged) else None
        work.updated_at = meta.time
    await repo.save(work)
    return work
