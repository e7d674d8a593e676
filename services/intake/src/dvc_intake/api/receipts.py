"""HTTP route of a dossier's payment receipts."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import ReceiptView
from dvc_intake.service.receipts import readable_receipts

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.get(
    "/{code}/receipts", response_model=list[ReceiptView], summary="Biên lai thu phí, lệ phí của hồ sơ"
)
async def dossier_receipts(code: str, ctx: Ctx, principal: CurrentPrincipal) -> list[ReceiptView]:
    async with ctx.runtime.transaction() as session:
        found = await readable_receipts(session, principal, code)
    return [ReceiptView.of(r) for r in found]
