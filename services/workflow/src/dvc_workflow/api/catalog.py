"""HTTP routes of the procedure catalog."""

from __future__ import annotations

from fastapi import APIRouter, Request

from dvc_workflow import errors
from dvc_workflow.deps import Ctx, Operator, Runtime
from dvc_workflow.domain.catalog import CatalogUnreadable, read_catalog
from dvc_workflow.schemas import CatalogImport, ProcedureView
from dvc_workflow.service import catalog

router = APIRouter(prefix="/api/v1", tags=["workflow"])


@router.get("/procedures", response_model=list[ProcedureView], summary="Danh mục thủ tục hành chính")
async def procedures(runtime: Runtime) -> list[ProcedureView]:
    async with runtime.transaction() as session:
        rows = await catalog.list_procedures(session)
    return [ProcedureView(code=p.code, revision=p.revision, definition=p.definition) for p in rows]


@router.post(
    "/procedures/import",
    response_model=CatalogImport,
    summary="Nhập danh mục thủ tục (JSON hoặc CSV của CSDL quốc gia)",
)
async def import_procedures(request: Request, runtime: Runtime, ctx: Ctx, actor: Operator) -> CatalogImport:
    is_csv = "csv" in request.headers.get("content-type", "")
    try:
        items = read_catalog(await request.body(), is_csv=is_csv)
    except CatalogUnreadable as exc:
        raise errors.catalog_invalid(str(exc)) from exc
    async with runtime.transaction() as session:
        announced = await catalog.import_procedures(session, ctx, actor, items)
    return CatalogImport(imported=len(items), announced=announced)
