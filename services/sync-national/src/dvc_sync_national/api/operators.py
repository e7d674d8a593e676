"""Operator endpoints (Văn phòng UBND tỉnh / Trung tâm PVHCC): backlog, failures, one dossier's sync,
resend, reconciliation with the national portal. Provincial operators only."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request

from dvc_common.auth import Role, require_roles
from dvc_common.runtime import runtime_of
from dvc_sync_national import service
from dvc_sync_national.portal import PortalClient, PortalUnavailable

router = APIRouter(
    prefix="/api/v1/sync",
    tags=["vận hành đồng bộ"],
    dependencies=[Depends(require_roles(Role.PROVINCIAL_OPERATOR))],
)


def _portal(request: Request) -> PortalClient:
    portal: PortalClient = request.app.state.portal
    return portal


def _unavailable(exc: PortalUnavailable) -> Exception:
    from dvc_common.problems import Problem

    return Problem(
        503,
        "portal-unavailable",
        "Cổng Dịch vụ công quốc gia không phục vụ",
        f"Không liên lạc được với Cổng Dịch vụ công quốc gia: {exc}",
    )


@router.get("/backlog", summary="Thay đổi trạng thái chưa đồng bộ và hồ sơ đang lỗi")
async def backlog(request: Request) -> dict[str, Any]:
    async with runtime_of(request).transaction() as session:
        summary = await service.backlog_view(session)
        summary["failing"] = await service.failures_view(session, 20)
    return summary


@router.get("/failures", summary="Hồ sơ đồng bộ thất bại gần nhất")
async def failures(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    async with runtime_of(request).transaction() as session:
        return await service.failures_view(session, limit)


@router.get("/dossiers/{code}", summary="Trạng thái đồng bộ của một hồ sơ: lần gửi, thay đổi, lỗi")
async def dossier(request: Request, code: str) -> dict[str, Any]:
    async with runtime_of(request).transaction() as session:
        return await service.dossier_view(session, code)


@router.post("/dossiers/{code}/resend", summary="Gửi lại một hồ sơ lên Cổng ngay")
async def resend(request: Request, code: str) -> dict[str, Any]:
    tz = ZoneInfo(request.app.state.settings.timezone)
    try:
        async with runtime_of(request).transaction() as session:
            outcome = await service.resend(session, _portal(request), tz, code)
    except PortalUnavailable as exc:
        raise _unavailable(exc) from exc
    request.app.state.sync_worker.notify()
    return outcome


@router.get("/reconciliation", summary="Đối soát với Cổng: khác biệt và tỷ lệ hồ sơ đã đồng bộ")
async def reconciliation(request: Request, agency_id: str | None = None) -> dict[str, Any]:
    try:
        async with runtime_of(request).transaction() as session:
            return await service.reconcile(session, _portal(request), agency_id=agency_id)
    except PortalUnavailable as exc:
        raise _unavailable(exc) from exc
