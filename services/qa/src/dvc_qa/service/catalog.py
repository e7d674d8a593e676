"""Local copies of the agencies (from identity) and procedures (from workflow) questions are addressed to."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AGENCY_UPSERTED, PROCEDURE_PUBLISHED, CloudEvent
from dvc_qa.models import Agency, Procedure
from dvc_qa.repository import QaRepository


async def record_agency(session: AsyncSession, event: CloudEvent) -> None:
    data = AGENCY_UPSERTED.parse(event.data)
    await QaRepository(session).upsert_agency(
        Agency(
            agency_id=data.agency_id,
            name=data.name,
            level=data.level,
            parent_id=data.parent_id,
            active=data.active,
            updated_at=data.updated_at,
        )
    )


async def record_procedure(session: AsyncSession, event: CloudEvent) -> None:
    data = PROCEDURE_PUBLISHED.parse(event.data)
    await QaRepository(session).upsert_procedure(
        Procedure(code=data.code, name=data.name, field_name=data.field_name, agency_id=data.agency_id)
    )


async def agencies(session: AsyncSession) -> list[Agency]:
    """The active agencies a question can be sent to."""
    return await QaRepository(session).agencies()
