"""HTTP route of a dossier's payment receipts."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_intake.models import PaymentReceipt
from dvc_intake.schemas import ReceiptView
from dvc_intake.service.receipts import readable_receipts

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


def receipt_views(found: list[PaymentReceipt]) -> list[ReceiptView]:
    return [
        ReceiptView(
            payment_id=r.payment_id,
            dossier_code=r.dossier_code,
            receipt_number=r.receipt_number,
            amount=r.amount,
            sha256=r.sha256,
            issued_at=r.issued_at,
            url=r.url,
        )
        for r in found
    ]


@router.get(
    "/{code}/receipts", response_model=list[ReceiptView], summary="Biên lai thu phí, lệ phí của hồ sơ"
)
async def dossier_receipts(code: str, runtime: RuntimeDep, principal: CurrentPrincipal) -> list[ReceiptView]:
    async with runtime.transaction() as session:
        return receipt_views(await readable_receipts(session, principal, code))
