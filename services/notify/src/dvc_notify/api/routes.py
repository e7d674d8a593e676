"""HTTP routes: what was sent about a dossier (thin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from dvc_common.runtime import ServiceRuntime
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from dvc_notify.repository import NotifyRepository

router = APIRouter(prefix="/api/v1", tags=["notifications"])


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


class DeliveryView(BaseModel):
    channel: str
    subject: str
    outcome: str
    created_at: datetime


@router.get("/dossiers/{code}/notifications", response_model=list[DeliveryView], summary="Thông báo đã gửi")
async def notifications(
    code: str, runtime: Annotated[ServiceRuntime, Depends(runtime_of)]
) -> list[DeliveryView]:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).deliveries(code)
    return [
        DeliveryView(channel=r.channel, subject=r.subject, outcome=r.outcome, created_at=r.created_at)
        for r in rows
    ]
