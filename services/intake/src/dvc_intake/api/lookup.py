"""Public look-up of a dossier by its code (also the QR code's target): no personal data."""

from __future__ import annotations

import time

from fastapi import APIRouter

from dvc_intake import errors
from dvc_intake.deps import ClientAddress, Ctx
from dvc_intake.schemas import LookupView
from dvc_intake.service.lookup import lookup

router = APIRouter(prefix="/api/v1/lookup", tags=["tra cứu"])


@router.get("/{code}", response_model=LookupView, summary="Tra cứu tình trạng hồ sơ (công khai)")
async def public_lookup(code: str, ctx: Ctx, client: ClientAddress) -> LookupView:
    wait = ctx.lookup_limiter.allow(client, time.monotonic())
    if wait is not None:
        raise errors.too_many_lookups(wait)
    async with ctx.runtime.transaction() as session:
        found = await lookup(session, code)
    d = found.dossier
    return LookupView(
        code=d.code,
        procedure_code=d.procedure_code,
        procedure_name=found.procedure_name,
        agency_id=d.agency_id,
        agency_name=found.agency_name,
        status=d.status,
        status_name=d.status_name,
        submitted_at=d.submitted_at,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
    )
