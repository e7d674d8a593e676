"""HTTP routes of a dossier's slips (Mẫu 01, 02, 03)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from dvc_common.auth import CurrentPrincipal
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_intake.api.blobs import serve_blob
from dvc_intake.schemas import SlipView
from dvc_intake.service.slips import readable_slips
from dvc_intake.slips import TITLES

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.get("/{code}/slips", response_model=list[SlipView], summary="Phiếu của hồ sơ (Mẫu 01, 02, 03)")
async def slips(code: str, runtime: RuntimeDep, principal: CurrentPrincipal) -> list[SlipView]:
    async with runtime.transaction() as session:
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
async def slip_pdf(
    code: str, slip_id: int, request: Request, runtime: RuntimeDep, principal: CurrentPrincipal
) -> Response:
    async with runtime.transaction() as session:
        found = [s for s in await readable_slips(session, principal, code) if s.id == slip_id]
    if not found:
        raise Problem(404, "slip-not-found", "Không tìm thấy phiếu", f"Hồ sơ «{code}» không có phiếu này.")
    slip = found[0]
    name = f"Mau-{slip.form}-{code}.pdf"
    return await serve_blob(request, slip.sha256, name, "application/pdf", slip.size)
