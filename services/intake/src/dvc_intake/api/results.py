"""HTTP route of a dossier's results returned online."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from dvc_intake import errors
from dvc_intake.api.multipart import files_part, multipart_body, read_multipart, upload_responses
from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import ResultsAdded
from dvc_intake.service.results import add_results

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.post(
    "/{code}/results",
    status_code=status.HTTP_201_CREATED,
    response_model=ResultsAdded,
    summary="Trả kết quả điện tử (vào kho dữ liệu của người nộp)",
    responses=upload_responses(401, 403, 404, 409, 413, 415, 422),
    openapi_extra=multipart_body({"files": files_part("Kết quả giải quyết (bản điện tử)")}, ["files"]),
)
async def results(code: str, request: Request, ctx: Ctx, principal: CurrentPrincipal) -> ResultsAdded:
    async with read_multipart(request, ctx.limits) as uploaded, ctx.runtime.transaction() as session:
        if not uploaded.files:
            raise errors.missing_part("files")
        added = await add_results(
            session,
            ctx.runtime.outbox,
            ctx.blobs,
            principal,
            code,
            uploaded.files,
            ctx.limits,
            scanner=ctx.scanner,
        )
    return ResultsAdded(code=code, positions=[f.position for f in added])
