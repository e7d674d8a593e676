"""HTTP route of a dossier's supplements (uploaded when the agency asks for them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status

from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import Supplemented
from dvc_intake.service.supplements import supplement_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.post(
    "/{code}/supplements",
    status_code=status.HTTP_201_CREATED,
    response_model=Supplemented,
    summary="Nộp bổ sung thành phần hồ sơ (khi cơ quan yêu cầu bổ sung)",
)
async def supplement(
    code: str,
    ctx: Ctx,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Thành phần bổ sung")],
) -> Supplemented:
    async with ctx.runtime.transaction() as session:
        added = await supplement_dossier(
            session, ctx.runtime.outbox, ctx.blobs, principal, code, files, ctx.limits, scanner=ctx.scanner
        )
    return Supplemented(
        code=code,
        supplement_round=added[0].supplement_round if added else 0,
        positions=[f.position for f in added],
    )
