"""The agency tree."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_identity import errors
from dvc_identity.deps import Ctx, Operator, RequestOrigin, Runtime
from dvc_identity.schemas import AgencyIn, AgencyView
from dvc_identity.service import agencies as use_cases

router = APIRouter(tags=["agencies"])


@router.get("/api/v1/agencies", summary="Danh sách cơ quan (cây cơ quan)")
async def agencies(rt: Runtime) -> list[AgencyView]:
    async with rt.transaction() as session:
        return await use_cases.list_agencies(session)


@router.get("/api/v1/agencies/{agency_id}", summary="Một cơ quan")
async def agency(agency_id: str, rt: Runtime) -> AgencyView:
    async with rt.transaction() as session:
        return await use_cases.get_agency(session, agency_id)


@router.put("/api/v1/agencies/{agency_id}", summary="Tạo hoặc sửa cơ quan (cấp tỉnh)")
async def put_agency(
    agency_id: str, body: AgencyIn, principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> AgencyView:
    if body.id != agency_id:
        raise errors.agency_id_mismatch()  # parsing: the path and the body name one agency
    async with rt.transaction() as session:
        view, _ = await use_cases.upsert_agency(session, ctx, body, actor=principal.subject, origin=origin)
    return view
