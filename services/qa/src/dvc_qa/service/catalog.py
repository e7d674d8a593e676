"""Local copies of the agencies (from identity) and procedures (from workflow) questions are addressed to."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import EventMeta
from dvc_common.events import AgencyUpserted, ProcedurePublished
from dvc_qa.models import Agency, Procedure
from dvc_qa.repository import QaRepository


async def record_agency(session: AsyncSession, meta: EventMeta, agency: AgencyUpserted) -> None:
    await QaRepository(session).upsert_agency(
        Agency(
            agency_id=agency.agency_id,
            name=agency.name,
            level=agency.level,
            parent_id=agency.parent_id,
            active=agency.active,
            updated_at=agency.updated_at,
        )
    )


async def record_procedure(session: AsyncSession, meta: EventMeta, procedure: ProcedurePublished) -> None:
    await QaRepository(session).upsert_procedure(
        Procedure(
            code=procedure.code,
            name=procedure.name,
            field_name=procedure.field_name,
            agency_id=procedure.agency_id,
        )
    )


async def agencies(session: AsyncSession) -> list[Agency]:
    """The active agencies a question can be sent to."""
    return await QaRepository(session).agencies()
