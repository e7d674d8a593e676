"""HTTP routes of agencies' internal processes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from dvc_workflow.deps import Ctx, Officer, ProcessAdmin, Runtime
from dvc_workflow.domain.process import ProcessDefinition
from dvc_workflow.schemas import ProcessView, process_view
from dvc_workflow.service import processes as use_cases

router = APIRouter(prefix="/api/v1", tags=["workflow"])
ProcessId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The process version's id")]


@router.get(
    "/procedures/{code}/processes/{agency_id}",
    response_model=list[ProcessView],
    summary="Các phiên bản quy trình nội bộ",
)
async def processes(code: str, agency_id: str, runtime: Runtime, actor: Officer) -> list[ProcessView]:
    async with runtime.transaction() as session:
        rows = await use_cases.list_processes(session, code, agency_id)
    return [process_view(p) for p in rows]


@router.post(
    "/procedures/{code}/processes/{agency_id}",
    response_model=ProcessView,
    status_code=201,
    summary="Tạo bản nháp quy trình nội bộ",
)
async def create_process(
    code: str, agency_id: str, definition: ProcessDefinition, runtime: Runtime, actor: ProcessAdmin
) -> ProcessView:
    async with runtime.transaction() as session:
        process = await use_cases.create_process_draft(session, actor, code, agency_id, definition)
    return process_view(process)


@router.delete(
    "/processes/{process_id}",
    status_code=204,
    summary="Xóa bản nháp quy trình nội bộ (chưa công bố)",
    responses={
        404: {"description": "Không có quy trình"},
        409: {"description": "Đã công bố, không xóa được"},
    },
)
async def delete_process(process_id: ProcessId, runtime: Runtime, actor: ProcessAdmin) -> Response:
    async with runtime.transaction() as session:
        await use_cases.delete_draft(session, actor, process_id)
    return Response(status_code=204)


@router.post(
    "/processes/{process_id}/publish", response_model=ProcessView, summary="Công bố quy trình nội bộ"
)
async def publish_process(
    process_id: ProcessId, runtime: Runtime, ctx: Ctx, actor: ProcessAdmin
) -> ProcessView:
    async with runtime.transaction() as session:
        process = await use_cases.publish_process(session, ctx, actor, process_id)
    return process_view(process)
