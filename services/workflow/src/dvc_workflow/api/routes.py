"""HTTP routes: the catalog and a dossier's lifecycle (thin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from dvc_common.runtime import RuntimeDep
from dvc_workflow import service
from dvc_workflow.domain.lifecycle import status_name

router = APIRouter(prefix="/api/v1", tags=["workflow"])


Runtime = RuntimeDep


class ProcedureView(BaseModel):
    code: str
    revision: str
    definition: dict[str, Any]


class StatusEntry(BaseModel):
    status: int
    status_name: str
    changed_at: datetime
    note: str | None


class DossierLifecycle(BaseModel):
    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    history: list[StatusEntry]


@router.get("/procedures", response_model=list[ProcedureView], summary="Danh mục thủ tục hành chính")
async def procedures(runtime: Runtime) -> list[ProcedureView]:
    async with runtime.transaction() as session:
        rows = await service.list_procedures(session)
    return [ProcedureView(code=p.code, revision=p.revision, definition=p.definition) for p in rows]


@router.get("/dossiers/{code}", response_model=DossierLifecycle, summary="Quá trình xử lý hồ sơ")
async def dossier(code: str, runtime: Runtime) -> DossierLifecycle:
    async with runtime.transaction() as session:
        state = await service.dossier_state(session, code)
    d = state.dossier
    return DossierLifecycle(
        code=d.code,
        procedure_code=d.procedure_code,
        agency_id=d.agency_id,
        status=d.status,
        status_name=status_name(d.status),
        history=[
            StatusEntry(
                status=h.status, status_name=status_name(h.status), changed_at=h.changed_at, note=h.note
            )
            for h in state.history
        ],
    )
