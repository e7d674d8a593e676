"""HTTP route of a dossier's supplements (uploaded when the agency asks for them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile, status

from dvc_common.auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
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
    request: Request,
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Thành phần bổ sung")],
) -> Supplemented:
    state = request.app.state
    async with runtime.transaction() as session:
        added = await supplement_dossier(
            session, runtime.outbox, state.blobs, principal, code, files, state.limits, scanner=state.scanner
        )
    return Supplemented(
        code=code,
        supplement_round=added[0].supplement_round if added else 0,
        positions=[f.position for f in added],
    )
