"""Agency routes: the agencies a question can be sent to."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.runtime import RuntimeDep
from dvc_qa.schemas import AgencyView, agency_view
from dvc_qa.service import catalog

router = APIRouter(prefix="/api/v1", tags=["qa"])


@router.get("/agencies", response_model=list[AgencyView], summary="Cơ quan nhận câu hỏi")
async def agencies(runtime: RuntimeDep) -> list[AgencyView]:
    async with runtime.transaction() as session:
        rows = await catalog.agencies(session)
    return [agency_view(a) for a in rows]
