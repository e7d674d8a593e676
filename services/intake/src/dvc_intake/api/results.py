"""HTTP route of a dossier's results returned online."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile, status

from dvc_common.auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
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
    request: Request,
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Kết quả giải quyết (bản điện tử)")],
) -> ResultsAdded:
    state = request.app.state
    async with runtime.transaction() as session:
        added = await add_results(
            session, state.blobs, principal, code, files, state.limits, scanner=state.scanner
        )
    return ResultsAdded(code=code, positions=[f.position for f in added])
