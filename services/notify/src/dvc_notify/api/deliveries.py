"""Delivery routes: what was sent about a dossier, and the delivery log for officers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from dvc_common.runtime import RuntimeDep
from dvc_notify.deps import Officer
from dvc_notify.repository import NotifyRepository
from dvc_notify.schemas import DeliveryDetail, DeliveryPage, DeliveryView, delivery_detail

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/dossiers/{code}/notifications", response_model=list[DeliveryView], summary="Thông báo đã gửi")
async def notifications(code: str, runtime: RuntimeDep) -> list[DeliveryView]:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).deliveries(code)
    return [
        DeliveryView(
            channel=r.channel, subject=r.subject, outcome=r.status, reason=r.reason, created_at=r.created_at
        )
        for r in rows
    ]


@router.get(
    "/deliveries",
    response_model=DeliveryPage,
    summary="Nhật ký gửi thông báo theo trạng thái (mặc định: gửi không thành công)",
)
async def deliveries(
    runtime: RuntimeDep,
    officer: Officer,
    status: Literal["queued", "sending", "sent", "failed"] = "failed",
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryPage:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).deliveries_by_status(status, after_id=after, limit=limit)
    items = [delivery_detail(r) for r in rows]
    return DeliveryPage(items=items, next_after=items[-1].id if len(items) == limit else None)


@router.get("/deliveries/summary", summary="Số thông báo theo trạng thái")
async def delivery_summary(runtime: RuntimeDep, officer: Officer) -> dict[str, int]:
    async with runtime.transaction() as session:
        return await NotifyRepository(session).status_counts()


@router.get(
    "/dossiers/{code}/deliveries", response_model=list[DeliveryDetail], summary="Nhật ký gửi của hồ sơ"
)
async def dossier_deliveries(code: str, runtime: RuntimeDep, officer: Officer) -> list[DeliveryDetail]:
    async with runtime.transaction() as session:
        return [delivery_detail(r) for r in await NotifyRepository(session).deliveries(code)]
