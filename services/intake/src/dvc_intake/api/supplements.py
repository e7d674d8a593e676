"""HTTP route of a dossier's supplements (uploaded when the agency asks for them)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from dvc_intake import errors
from dvc_intake.api.multipart import files_part, multipart_body, read_multipart, upload_responses
from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import Supplemented
from dvc_intake.service.supplements import supplement_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.post(
    "/{code}/supplements",
    status_code=status.HTTP_201_CREATED,
    response_model=Supplemented,
    summary="Nộp bổ sung thành phần hồ sơ (khi cơ quan yêu cầu bổ sung)",
    responses=upload_responses(401, 403, 404, 409, 413, 415, 422),
    openapi_extra=multipart_body({"files": files_part("Thành phần bổ sung")}, ["files"]),
)
async def supplement(code: str, request: Request, ctx: Ctx, principal: CurrentPrincipal) -> Supplemented:
    async with read_multipart(request, ctx.limits) as uploaded, ctx.runtime.transaction() as session:
        if not uploaded.files:
            raise errors.missing_part("files")
        added = await supplement_dossier(
            session,
            ctx.runtime.outbox,
            ctx.blobs,
            principal,
            code,
            uploaded.files,
            ctx.limits,
            scanner=ctx.scanner,
        )
    return Supplemented(
        code=code,
        supplement_round=added[0].supplement_round if added else 0,
        positions=[f.position for f in added],
    )
