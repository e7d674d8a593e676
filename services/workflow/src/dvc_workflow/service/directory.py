"""Who the forms name: workflow's copies of the agency tree (agency.upserted.v1), of the officers
(officer.upserted.v1, internal: who can be assigned) and of the applicants (dossier.contact_registered.v1,
internal), and the letterhead they make."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AgencyUpserted, DossierContactRegistered, OfficerLocked, OfficerUpserted
from dvc_common.pdf import Letterhead
from dvc_workflow.models import Agency, Applicant, Officer
from dvc_workflow.repository import WorkflowRepository


async def record_agency(session: AsyncSession, upserted: AgencyUpserted) -> None:
    await WorkflowRepository(session).upsert_agency(
        Agency(
            id=upserted.agency_id,
            name=upserted.name,
            parent_id=upserted.parent_id,
            updated_at=upserted.updated_at,
        )
    )


async def record_officer(session: AsyncSession, upserted: OfficerUpserted) -> None:
    """Who can be assigned a dossier: the officer, their agency and department, whether active."""
    await WorkflowRepository(session).upsert_officer(
        Officer(
            id=upserted.officer_id,
            agency_id=upserted.agency_id,
            name=upserted.name,
            position=upserted.position,
            roles=list(upserted.roles),
            department=upserted.department,
            department_name=upserted.department_name,
            active=upserted.active,
            updated_at=upserted.updated_at,
        )
    )


async def officer_locked(session: AsyncSession, locked: OfficerLocked) -> None:
    """A locked officer can no longer be assigned (until identity announces them active again)."""
    await WorkflowRepository(session).lock_officer(locked.officer_id, locked.locked_at)


async def record_applicant(session: AsyncSession, contact: DossierContactRegistered) -> None:
    """The applicant's name and phone only (the register's columns), not the e-mail."""
    await WorkflowRepository(session).upsert_applicant(
        Applicant(dossier_code=contact.code, name=contact.applicant_name, phone=contact.phone)
    )


async def letterhead(
    repo: WorkflowRepository, agency_id: str, fallback: str, place: str | None
) -> Letterhead:
    """The agency and its superior body as the agency tree names them (`fallback` until it is known)."""
    agency = await repo.agency(agency_id)
    superior = await repo.agency(agency.parent_id) if agency and agency.parent_id else None
    return Letterhead(
        agency=agency.name if agency else fallback, superior=superior.name if superior else None, place=place
    )
