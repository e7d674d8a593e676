"""Officer accounts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from dvc_identity.deps import Admin, AnyOfficer, Ctx, Reader, RequestOrigin, Runtime
from dvc_identity.schemas import CreatedOfficer, LockIn, OfficerChange, OfficerIn, OfficerView
from dvc_identity.service import officers as use_cases

router = APIRouter(tags=["officers"])


@router.post("/api/v1/officers", status_code=status.HTTP_201_CREATED, summary="Cấp tài khoản cán bộ")
async def create_officer(
    body: OfficerIn, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await use_cases.create_officer(session, ctx, principal, body, origin)


@router.get("/api/v1/officers", summary="Tài khoản cán bộ trong phạm vi quản lý")
async def officers(
    principal: Reader,
    rt: Runtime,
    agency_id: str | None = None,
    after: Annotated[str | None, Query(description="Con trỏ: tên đăng nhập cuối của trang trước")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerView]:
    async with rt.transaction() as session:
        return await use_cases.list_officers(session, principal, agency_id, after, limit)


@router.get("/api/v1/officers/me", summary="Tài khoản của tôi")
async def me(principal: AnyOfficer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.get_officer(session, principal, uuid.UUID(principal.subject))


@router.get("/api/v1/officers/{officer_id}", summary="Một tài khoản cán bộ")
async def officer(officer_id: uuid.UUID, principal: AnyOfficer, rt: Runtime) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.get_officer(session, principal, officer_id)


@router.patch("/api/v1/officers/{officer_id}", summary="Sửa thông tin, vị trí, vai trò")
async def change_officer(
    officer_id: uuid.UUID,
    body: OfficerChange,
    principal: AnyOfficer,
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.change_officer(session, ctx, principal, officer_id, body, origin)


@router.post("/api/v1/officers/{officer_id}/lock", summary="Khóa tài khoản (có hiệu lực ngay)")
async def lock(
    officer_id: uuid.UUID, body: LockIn, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.lock_officer(session, ctx, principal, officer_id, body.reason, origin)


@router.post("/api/v1/officers/{officer_id}/unlock", summary="Mở khóa tài khoản")
async def unlock(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> OfficerView:
    async with rt.transaction() as session:
        return await use_cases.unlock_officer(session, ctx, principal, officer_id, origin)


@router.post("/api/v1/officers/{officer_id}/reset-password", summary="Cấp lại mật khẩu tạm")
async def reset_password(
    officer_id: uuid.UUID, principal: Admin, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> CreatedOfficer:
    async with rt.transaction() as session:
        return await use_cases.reset_password(session, ctx, principal, officer_id, origin)
