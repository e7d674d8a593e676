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
    department: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[int | None, Query(ge=1, le=10, description="National status")] = None,
    procedure_code: Annotated[str | None, Query(max_length=64)] = None,
    due: Annotated[
        Literal["soon", "overdue"] | None,
        Query(description="soon: due within one working day; overdue: past its due time"),
    ] = None,
    supplement_arrived: Annotated[
        bool | None, Query(description="Only (or no) dossiers whose applicant uploaded the supplement")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Search: part of the dossier code or applicant's name")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> WorkQueuePage:
    filters = queues.QueueFilter(
        status=status, procedure_code=procedure_code, due=due, supplement_arrived=supplement_arrived, search=q
    )
    async with runtime.transaction() as session:
        items, next_cursor = await queues.work_queue(
            session,
            ctx,
            actor,
            scope=scope,
            department=department,
            filters=filters,
            cursor=cursor,
            limit=limit,
            now=now,
        )
    return WorkQueuePage(items=items, next_cursor=next_cursor)
