"""Intake's copies of the procedure catalog (procedure.published.v1) and of the agency tree
(agency.upserted.v1), and what applicants see of the catalog."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AgencyUpserted, ProcedurePublished
from dvc_intake import errors
from dvc_intake.models import Agency, Procedure
from dvc_intake.repository import IntakeRepository

log = logging.getLogger(__name__)


async def record_procedure(
    session: AsyncSession, published: ProcedurePublished, *, published_at: datetime
) -> None:
    await IntakeRepository(session).upsert_procedure(
        Procedure(
            code=published.code,
            name=published.name,
            agency_id=published.agency_id,
            agency_name=published.agency_name,
            processing_time_value=published.processing_time.value,
            processing_time_unit=published.processing_time.unit,
            online_level=published.online_level,
            revision=published.revision,
            signature_required=published.signature_required,
            form_schema=published.form_schema,
            result_delivery=list(published.result_delivery),
            components=list(published.components),
            agencies=[
                {
                    "agency_id": a.agency_id,
                    "agency_name": a.agency_name,
                    "receiving_agency_id": a.receiving_agency_id,
                }
                for a in published.agencies
            ]
            or None,
            updated_at=published_at,
        )
    )
    log.info("procedure recorded", extra={"procedure": published.code, "revision": published.revision})


async def record_agency(session: AsyncSession, upserted: AgencyUpserted) -> None:
    """The agency's name and superior body, for the letterhead of the forms."""
    await IntakeRepository(session).upsert_agency(
        Agency(
            id=upserted.agency_id,
            name=upserted.name,
            parent_id=upserted.parent_id,
            updated_at=upserted.updated_at,
        )
    )


async def procedure_for_applicants(session: AsyncSession, code: str) -> Procedure:
    procedure = await IntakeRepository(session).procedure(code)
    if procedure is None:
        raise errors.unknown_procedure(code)
    return procedure
