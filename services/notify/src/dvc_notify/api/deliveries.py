"""Delivery routes: what was sent about a dossier, and the delivery log for officers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dvc_common.http_auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_notify.deps import Officer
from dvc_notify.domain.deliveries import Status
from dvc_notify.schemas import (
    DeliveryCounts,
    DeliveryDetail,
    DeliveryPage,
    DeliveryStatus,
    DeliveryView,
    delivery_detail,
    delivery_page,
    delivery_view,
)
from dvc_notify.service import deliveries as service

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get(
    "/dossiers/{code}/notifications",
    response_model=list[DeliveryView],
    summary="Thông báo đã gửi (cán bộ cơ quan giải quyết, thanh tra, Văn phòng UBND tỉnh)",
)
async def notifications(code: str, runtime: RuntimeDep, principal: CurrentPrincipal) -> list[DeliveryView]:
    async with runtime.transaction() as session:
        rows = await service.of_dossier(session, code, principal)
    return [delivery_view(r) for r in rows]


@router.get(
    "/deliveries",
    response_model=DeliveryPage,
    summary="Nhật ký gửi thông báo theo trạng thái (mặc định: gửi không thành công)",
)
async def deliveries(
    runtime: RuntimeDep,
    officer: Officer,
    status: DeliveryStatus = "failed",
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryPage:
    async with runtime.transaction() as session:
        rows = await service.by_status(session, officer, Status(status), after=after, limit=limit)
    return delivery_page(rows, limit)


@router.get("/deliveries/summary", response_model=DeliveryCounts, summary="Số thông báo theo trạng thái")
async def delivery_summary(runtime: RuntimeDep, officer: Officer) -> DeliveryCounts:
    async with runtime.transaction() as session:
        return DeliveryCounts(await service.status_counts(session, officer))


@router.get(
    "/dossiers/{code}/deliveries",
    response_model=list[DeliveryDetail],
    summary="Nhật ký gửi của hồ sơ (cán bộ cơ quan giải quyết, thanh tra, Văn phòng UBND tỉnh)",
)
async def dossier_deliveries(code: str, runtime: RuntimeDep, officer: Officer) -> list[DeliveryDetail]:
    async with runtime.transaction() as session:
        rows = await service.of_dossier(session, code, officer)
    return [delivery_detail(r) for r in rows]
