"""Officer accounts, departments, and four-eyes requests on privileged peers."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from dvc_identity.deps import Admin, AnyOfficer, Ctx, RequestOrigin, Runtime
from dvc_identity.schemas import (
    CreatedOfficer,
    DepartmentView,
    LockIn,
    OfficerChange,
    OfficerIn,
    OfficerView,
    PendingChangeView,
)
from dvc_identity.service import agencies, peer_changes
from dvc_identity.service import officers as use_cases

router = APIRouter(tags=["officers"])

AFTER = Query(description="Con trỏ: tên đăng nhập cuối của trang trước")
PEER_RESPONSES: dict[int | str, dict[str, str]] = {
    202: {
        "description": "Tài khoản quản trị ngang cấp: đề nghị đã được ghi nhận, chờ người thứ hai phê duyệt"
    }
}


@router.post(
    "/api/v1/officers",
    status_code=status.HTTP_201_CREATED,
    summary="Cấp tài khoản cán bộ (mật khẩu tạm gửi đến thư điện tử của cán bộ)",
)
async def create_officer(
    body: OfficerIn, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await use_cases.create_officer(session, ctx, principal, body, origin)


@router.get("/api/v1/officers", summary="Tài khoản cán bộ trong phạm vi (cơ quan, phòng ban)")
async def officers(
    principal: AnyOfficer,
    rt: Runtime,
    agency_id: str | None = None,
    department: Annotated[str | None, Query(description="Mã phòng, ban trong cơ quan")] = None,
    after: Annotated[str | None, AFTER] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerView]:
    async with rt.transaction() as session:
        return await use_cases.list_officers(session, principal, agency_id, after, limit, department)


@router.get("/api/v1/agencies/{agency_id}/officers", summary="Cán bộ của một cơ quan (theo phòng, ban)")
async def agency_officers(
    agency_id: str,
    principal: AnyOfficer,
    rt: Runtime,
    department: Annotated[str | None, Query(description="Mã phòng, ban trong cơ quan")] = None,
    after: Annotated[str | None, AFTER] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerView]:
    async with rt.transaction() as session:
        return await use_cases.list_officers(session, principal, agency_id, after, limit, department)


@router.get("/api/v1/agencies/{agency_id}/departments", summary="Phòng, ban của một cơ quan")
async def departments(agency_id: str, rt: Runtime) -> list[DepartmentView]:
    async with rt.transaction() as session:
        return await agencies.list_departments(session, agency_id)


@router.get("/api/v1/officers/me", summary="Tài khoản của tôi")
async def me(principal: AnyOfficer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.get_officer(session, principal, uuid.UUID(principal.subject))


@router.get("/api/v1/officers/{officer_id}", summary="Một tài khoản cán bộ")
async def officer(officer_id: uuid.UUID, principal: AnyOfficer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.get_officer(session, principal, officer_id)


@router.patch(
    "/api/v1/officers/{officer_id}",
    summary="Sửa thông tin, vị trí, phòng ban, vai trò",
    responses=PEER_RESPONSES,
)
async def change_officer(
    officer_id: uuid.UUID,
    body: OfficerChange,
    principal: AnyOfficer,
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
    response: Response,
) -> OfficerView | PendingChangeView:
    async with rt.transaction() as session:
        outcome = await peer_changes.change_officer(session, ctx, principal, officer_id, body, origin)
    if isinstance(outcome, PendingChangeView):
        response.status_code = status.HTTP_202_ACCEPTED
    return outcome


@router.post(
    "/api/v1/officers/{officer_id}/lock",
    summary="Khóa tài khoản (có hiệu lực ngay; tài khoản quản trị ngang cấp cần người thứ hai)",
    responses=PEER_RESPONSES,
)
async def lock(
    officer_id: uuid.UUID,
    body: LockIn,
    principal: Admin,
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
    response: Response,
) -> OfficerView | PendingChangeView:
    async with rt.transaction() as session:
        outcome = await peer_changes.lock_officer(session, ctx, principal, officer_id, body.reason, origin)
    if isinstance(outcome, PendingChangeView):
        response.status_code = status.HTTP_202_ACCEPTED
    return outcome


@router.post("/api/v1/officers/{officer_id}/unlock", summary="Mở khóa tài khoản")
async def unlock(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.unlock_officer(session, ctx, principal, officer_id, origin)


@router.post(
    "/api/v1/officers/{officer_id}/reset-password",
    summary="Cấp lại mật khẩu tạm (gửi đến thư điện tử của chính cán bộ)",
)
async def reset_password(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await use_cases.reset_password(session, ctx, principal, officer_id, origin)


@router.get("/api/v1/officer-changes", summary="Đề nghị thay đổi tài khoản quản trị chờ phê duyệt")
async def officer_changes(
    principal: Admin,
    rt: Runtime,
    state: Annotated[Literal["pending", "approved", "refused"], Query(alias="status")] = "pending",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PendingChangeView]:
    async with rt.transaction() as session:
        return await peer_changes.list_changes(session, principal, state, limit)


@router.post("/api/v1/officer-changes/{change_id}/approve", summary="Phê duyệt (người thứ hai)")
async def approve_change(
    change_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> PendingChangeView:
    async with rt.transaction() as session:
        return await peer_changes.approve(session, ctx, principal, change_id, origin)


@router.post("/api/v1/officer-changes/{change_id}/refuse", summary="Từ chối, hoặc rút đề nghị")
async def refuse_change(
    change_id: uuid.UUID, principal: Admin, rt: Runtime, origin: RequestOrigin
) -> PendingChangeView:
    async with rt.transaction() as session:
        return await peer_changes.refuse(session, principal, change_id, origin)
