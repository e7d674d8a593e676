"""HTTP route of a dossier's results returned online."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status

from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.schemas import ResultsAdded
from dvc_intake.service.results import add_results

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.post(
    "/{code}/results",
    status_code=status.HTTP_201_CREATED,
    response_model=ResultsAdded,
    summary="Trả kết quả điện tử (vào kho dữ liệu của người nộp)",
)
async def results(
    code: str,
    ctx: Ctx,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Kết quả giải quyết (bản điện tử)")],
) -> ResultsAdded:
    async with ctx.runtime.transaction() as session:
        added = await add_results(session, ctx.blobs, principal, code, files, ctx.limits, scanner=ctx.scanner)
    return ResultsAdded(code=code, positions=[f.position for f in added])
