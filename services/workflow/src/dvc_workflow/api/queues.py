"""HTTP route of officers' work queues."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from dvc_workflow.deps import Ctx, Now, Officer, Runtime
from dvc_workflow.schemas import WorkQueuePage
from dvc_workflow.service import queues

router = APIRouter(prefix="/api/v1", tags=["workflow"])


@router.get(
    "/work-queue",
    response_model=WorkQueuePage,
    summary="Hồ sơ cần xử lý: của tôi, của phòng, của cơ quan, liên thông từ cơ quan khác (theo hạn)",
)
async def work_queue(
    runtime: Runtime,
    ctx: Ctx,
    now: Now,
    actor: Officer,
    scope: Literal["mine", "department", "agency", "inter_agency"] = "mine",
    department: str | None = None,
    status: Annotated[int | None, Query(ge=1, le=10)] = None,
    procedure_code: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> WorkQueuePage:
    async with runtime.transaction() as session:
        items, next_cursor = await queues.work_queue(
            session,
            ctx,
            actor,
            scope=scope,
            department=department,
            status=status,
            procedure_code=procedure_code,
            cursor=cursor,
            limit=limit,
            now=now,
        )
    return WorkQueuePage(items=items, next_cursor=next_cursor)
