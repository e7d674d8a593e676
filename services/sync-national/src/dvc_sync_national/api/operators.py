"""Operator endpoints (Văn phòng UBND tỉnh / Trung tâm PVHCC): backlog, failures, one dossier's sync,
resend, reconciliation with the national portal. Provincial operators only."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request

from dvc_common.auth import Role, require_roles
from dvc_common.runtime import runtime_of
from dvc_sync_national.deps import PortalDep
from dvc_sync_national.errors import portal_unavailable
from dvc_sync_national.portal import PortalUnavailable
from dvc_sync_national.service import operator_views
from dvc_sync_national.service.reconciliation import reconcile

router = APIRouter(
    prefix="/api/v1/sync",
    tags=["vận hành đồng bộ"],
    dependencies=[Depends(require_roles(Role.PROVINCIAL_OPERATOR))],
)


@router.get("/backlog", summary="Thay đổi trạng thái chưa đồng bộ và hồ sơ đang lỗi")
async def backlog(request: Request) -> dict[str, Any]:
    async with runtime_of(request).transaction() as session:
        summary = await operator_views.backlog_view(session)
        summary["failing"] = await operator_views.failures_view(session, 20)
    return summary


@router.get("/failures", summary="Hồ sơ đồng bộ thất bại gần nhất")
async def failures(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    async with runtime_of(request).transaction() as session:
        return await operator_views.failures_view(session, limit)


@router.get("/dossiers/{code}", summary="Trạng thái đồng bộ của một hồ sơ: lần gửi, thay đổi, lỗi")
async def dossier(request: Request, code: str) -> dict[str, Any]:
    async with runtime_of(request).transaction() as session:
        return await operator_views.dossier_view(session, code)


@router.post("/dossiers/{code}/resend", summary="Gửi lại một hồ sơ lên Cổng ngay")
async def resend(request: Request, code: str, portal: PortalDep) -> dict[str, Any]:
    tz = ZoneInfo(request.app.state.settings.timezone)
    try:
        async with runtime_of(request).transaction() as session:
            outcome = await operator_views.resend(session, portal, tz, code)
    except PortalUnavailable as exc:
        raise portal_unavailable(exc) from exc
    request.app.state.sync_worker.notify()
    return outcome


@router.get("/reconciliation", summary="Đối soát với Cổng: khác biệt và tỷ lệ hồ sơ đã đồng bộ")
async def reconciliation(request: Request, portal: PortalDep, agency_id: str | None = None) -> dict[str, Any]:
    try:
        async with runtime_of(request).transaction() as session:
            return await reconcile(session, portal, agency_id=agency_id)
    except PortalUnavailable as exc:
        raise portal_unavailable(exc) from exc
