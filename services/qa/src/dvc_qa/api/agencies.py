"""Agency routes: the agencies a question can be sent to."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.runtime import RuntimeDep
from dvc_qa.repository import QaRepository
from dvc_qa.schemas import AgencyView

router = APIRouter(prefix="/api/v1", tags=["qa"])


@router.get("/agencies", response_model=list[AgencyView], summary="Cơ quan nhận câu hỏi")
async def agencies(runtime: RuntimeDep) -> list[AgencyView]:
    async with runtime.transaction() as session:
        rows = await QaRepository(session).agencies()
    return [
        AgencyView(agency_id=a.agency_id, name=a.name, level=a.level, parent_id=a.parent_id) for a in rows
    ]
