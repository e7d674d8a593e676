"""Agencies, officer accounts, population-database access, the audit trail."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel

from dvc_common.auth import CurrentPrincipal, Principal, Role, require_roles
from dvc_common.problems import Problem
from dvc_identity import service
from dvc_identity.api.deps import Ctx, RequestOrigin, Runtime
from dvc_identity.repository import IdentityRepository
from dvc_identity.service import (
    AgencyIn,
    AgencyView,
    AuditView,
    CreatedOfficer,
    LookupIn,
    OfficerChange,
    OfficerIn,
    OfficerView,
)

router = APIRouter()

Admin = Annotated[Principal, Depends(require_roles(Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR))]
Reader = Annotated[
    Principal, Depends(require_roles(Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR, Role.AUDITOR))
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]
Officer = Annotated[Principal, Depends(require_roles(*Role))]


@router.get("/api/v1/agencies", tags=["agencies"], summary="Danh sách cơ quan (cây cơ quan)")
async def agencies(rt: Runtime) -> list[AgencyView]:
    async with rt.transaction() as session:
        return [service.agency_view(a) for a in await IdentityRepository(session).agencies()]


@router.get("/api/v1/agencies/{agency_id}", tags=["agencies"], summary="Một cơ quan")
async def agency(agency_id: str, rt: Runtime) -> AgencyView:
    async with rt.transaction() as session:
        found = await IdentityRepository(session).agency(agency_id)
    if found is None:
        raise Problem(404, "agency-not-found", "Không tìm thấy cơ quan", f"Không có cơ quan {agency_id}.")
    return service.agency_view(found)


@router.put("/api/v1/agencies/{agency_id}", tags=["agencies"], summary="Tạo hoặc sửa cơ quan (cấp tỉnh)")
async def put_agency(
    agency_id: str, body: AgencyIn, principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> AgencyView:
    if body.id != agency_id:
        raise Problem(
            422, "id-mismatch", "Mã cơ quan không khớp", "Mã trong đường dẫn và nội dung phải giống nhau."
        )
    async with rt.transaction() as session:
        view, _ = await service.upsert_agency(session, ctx, body, actor=principal.subject, origin=origin)
    return view


@router.post(
    "/api/v1/officers", status_code=status.HTTP_201_CREATED, tags=["officers"], summary="Cấp tài khoản cán bộ"
)
async def create_officer(
    body: OfficerIn, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await service.create_officer(session, ctx, principal, body, origin)


@router.get("/api/v1/officers", tags=["officers"], summary="Tài khoản cán bộ trong phạm vi quản lý")
async def officers(
    principal: Reader,
    rt: Runtime,
    agency_id: str | None = None,
    after: Annotated[str | None, Query(description="Con trỏ: tên đăng nhập cuối của trang trước")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerView]:
    async with rt.transaction() as session:
        return await service.list_officers(session, principal, agency_id, after, limit)


@router.get("/api/v1/officers/me", tags=["officers"], summary="Tài khoản của tôi")
async def me(principal: Officer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await service.get_officer(session, principal, uuid.UUID(principal.subject))


@router.get("/api/v1/officers/{officer_id}", tags=["officers"], summary="Một tài khoản cán bộ")
async def officer(officer_id: uuid.UUID, principal: Officer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await service.get_officer(session, principal, officer_id)


@router.patch("/api/v1/officers/{officer_id}", tags=["officers"], summary="Sửa thông tin, vị trí, vai trò")
async def change_officer(
    officer_id: uuid.UUID,
    body: OfficerChange,
    principal: Officer,
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
) -> OfficerView:
    async with rt.transaction() as session:
        return await service.change_officer(session, ctx, principal, officer_id, body, origin)


class LockIn(BaseModel):
    reason: Literal["administrative", "moved", "left"] = "administrative"


@router.post(
    "/api/v1/officers/{officer_id}/lock", tags=["officers"], summary="Khóa tài khoản (có hiệu lực ngay)"
)
async def lock(
    officer_id: uuid.UUID, body: LockIn, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await service.lock_officer(session, ctx, principal, officer_id, body.reason, origin)


@router.post("/api/v1/officers/{officer_id}/unlock", tags=["officers"], summary="Mở khóa tài khoản")
async def unlock(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await service.unlock_officer(session, ctx, principal, officer_id, origin)


@router.post(
    "/api/v1/officers/{officer_id}/reset-password", tags=["officers"], summary="Cấp lại mật khẩu tạm"
)
async def reset_password(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await service.reset_password(session, ctx, principal, officer_id, origin)


class GrantIn(BaseModel):
    commitment_signed_on: date


@router.put(
    "/api/v1/officers/{officer_id}/population-access",
    tags=["population"],
    summary="Cấp quyền tra cứu CSDL quốc gia về dân cư (Sở KH&CN / cấp tỉnh)",
)
async def grant(
    officer_id: uuid.UUID, body: GrantIn, principal: Operator, rt: Runtime, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await service.grant_population_access(
            session, principal, officer_id, body.commitment_signed_on, origin
        )


@router.delete(
    "/api/v1/officers/{officer_id}/population-access",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["population"],
    summary="Thu hồi quyền tra cứu",
)
async def revoke(officer_id: uuid.UUID, principal: Operator, rt: Runtime, origin: RequestOrigin) -> None:
    async with rt.transaction() as session:
        await service.revoke_population_access(session, principal, officer_id, origin)


@router.post("/api/v1/population/lookups", tags=["population"], summary="Tra cứu thông tin công dân")
async def lookup(
    body: LookupIn, principal: Officer, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> dict[str, Any]:
    # The look-up is logged even when the citizen is not found (the Problem is raised after commit).
    async with rt.transaction() as session:
        try:
            return await service.population_lookup(session, ctx, principal, body, origin)
        except Problem as problem:
            if problem.status != 404:
                raise
            missing = problem
    raise missing


@router.get("/api/v1/audit", tags=["audit"], summary="Nhật ký thao tác tài khoản")
async def audit_trail(
    principal: Reader,
    rt: Runtime,
    agency_id: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    after: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditView]:
    async with rt.transaction() as session:
        return await service.audit_trail(
            session, principal, agency_id=agency_id, actor=actor, target=target, after=after, limit=limit
        )


@router.get("/api/v1/audit/verify", tags=["audit"], summary="Kiểm tra toàn vẹn chuỗi nhật ký")
async def audit_verify(
    principal: Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.PROVINCIAL_OPERATOR))],
    rt: Runtime,
) -> dict[str, Any]:
    async with rt.transaction() as session:
        return await service.verify_audit_chain(session)


@router.get("/api/v1/citizen/me", tags=["citizen"], summary="Thông tin tài khoản công dân, tổ chức")
async def citizen_me(principal: CurrentPrincipal, rt: Runtime) -> dict[str, Any]:
    if principal.kind == "officer":
        raise Problem(403, "forbidden", "Không có quyền", "Chỉ dành cho công dân, tổ chức.")
    async with rt.transaction() as session:
        return await service.citizen_profile(session, principal)
