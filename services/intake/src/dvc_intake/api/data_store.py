"""HTTP routes of the citizen's data store (Kho quản lý dữ liệu điện tử): /api/v1/my/…"""

from __future__ import annotations

from fastapi import APIRouter

from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import MyDossier, ReceiptView, StoredDocument
from dvc_intake.service.data_store import my_dossiers, my_receipts, stored_documents

router = APIRouter(prefix="/api/v1/my", tags=["kho dữ liệu"])


@router.get("/dossiers", response_model=list[MyDossier], summary="Hồ sơ của tôi")
async def mine(ctx: Ctx, principal: CurrentPrincipal) -> list[MyDossier]:
    async with ctx.runtime.transaction() as session:
        dossiers = await my_dossiers(session, principal)
    return [MyDossier.model_validate(d) for d in dossiers]


@router.get(
    "/documents",
    response_model=list[StoredDocument],
    summary="Kho dữ liệu: giấy tờ đã nộp, dùng lại được bằng `reuse` (dossier_code, position)",
)
async def my_documents(ctx: Ctx, principal: CurrentPrincipal) -> list[StoredDocument]:
    async with ctx.runtime.transaction() as session:
        found = await stored_documents(session, principal)
    return [
        StoredDocument(
            dossier_code=d.code,
            position=f.position,
            kind=f.kind,
            name=f.name,
            content_type=f.content_type,
            size=f.size,
            submitted_at=d.submitted_at,
            url=f"/api/v1/dossiers/{d.code}/files/{f.position}",
        )
        for d, f in found
    ]


@router.get("/receipts", response_model=list[ReceiptView], summary="Kho dữ liệu: biên lai đã nộp")
async def my_receipt_list(ctx: Ctx, principal: CurrentPrincipal) -> list[ReceiptView]:
    async with ctx.runtime.transaction() as session:
        found = await my_receipts(session, principal)
    return [ReceiptView.of(r) for r in found]
