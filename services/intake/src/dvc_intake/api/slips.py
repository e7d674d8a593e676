"""HTTP routes of a dossier's slips (Mẫu 01–05 and the biên lai)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from dvc_intake.api.blobs import serve_blob
from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import SlipView
from dvc_intake.service.slips import readable_slip, readable_slips
from dvc_intake.slips import TITLES

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.get(
    "/{code}/slips",
    response_model=list[SlipView],
    summary="Phiếu của hồ sơ (Mẫu 01–05, biên lai thu phí, lệ phí)",
)
async def slips(code: str, ctx: Ctx, principal: CurrentPrincipal) -> list[SlipView]:
    async with ctx.runtime.transaction() as session:
        found = await readable_slips(session, principal, code)
    return [
        SlipView(
            id=s.id or 0,
            form=s.form,
            title=TITLES[s.form],
            issued_at=s.issued_at,
            size=s.size,
            url=f"/api/v1/dossiers/{code}/slips/{s.id}",
        )
        for s in found
    ]


@router.get(
    "/{code}/slips/{slip_id}",
    summary="Tải phiếu (PDF)",
    responses={200: {"content": {"application/pdf": {}}}, 307: {"description": "Liên kết ngắn hạn"}},
)
async def slip_pdf(code: str, slip_id: int, ctx: Ctx, principal: CurrentPrincipal) -> Response:
    async with ctx.runtime.transaction() as session:
        slip = await readable_slip(session, principal, code, slip_id)
    return await serve_blob(
        ctx.blobs, slip.sha256, f"Mau-{slip.form}-{code}.pdf", "application/pdf", slip.size
    )
