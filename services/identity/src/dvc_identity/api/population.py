"""Access to the national population database and the look-ups."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from dvc_identity import errors
from dvc_identity.deps import AnyOfficer, Ctx, Operator, RequestOrigin, Runtime
from dvc_identity.schemas import GrantIn, LookupIn, OfficerView, PopulationRecord
from dvc_identity.service import population

router = APIRouter(tags=["population"])


@router.put(
    "/api/v1/officers/{officer_id}/population-access",
    summary="Cấp quyền tra cứu CSDL quốc gia về dân cư (Sở KH&CN / cấp tỉnh)",
)
async def grant(
    officer_id: uuid.UUID, body: GrantIn, principal: Operator, rt: Runtime, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await population.grant_population_access(
            session, principal, officer_id, body.commitment_signed_on, origin
        )


@router.delete(
    "/api/v1/officers/{officer_id}/population-access",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Thu hồi quyền tra cứu",
)
async def revoke(officer_id: uuid.UUID, principal: Operator, rt: Runtime, origin: RequestOrigin) -> None:
    async with rt.transaction() as session:
        await population.revoke_population_access(session, principal, officer_id, origin)


@router.post(
    "/api/v1/population/lookups",
    summary="Tra cứu thông tin công dân",
    response_model_exclude_unset=True,  # exactly the fields the population database answered
)
async def lookup(
    body: LookupIn, principal: AnyOfficer, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> PopulationRecord:
    async with rt.transaction() as session:
        outcome = await population.population_lookup(session, ctx, principal, body, origin)
    return errors.settled(outcome)
