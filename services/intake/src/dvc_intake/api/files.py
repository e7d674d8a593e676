"""HTTP route of a dossier's documents (download)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from dvc_intake.api.blobs import serve_blob
from dvc_intake.deps import Ctx, CurrentPrincipal
from dvc_intake.service.dossiers import readable_file

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


@router.get(
    "/{code}/files/{position}",
    summary="Tải thành phần hồ sơ (chủ hồ sơ, cán bộ cơ quan giải quyết, thanh tra)",
    responses={200: {"content": {"application/octet-stream": {}}}, 307: {"description": "Liên kết ngắn hạn"}},
)
async def download(code: str, position: int, ctx: Ctx, principal: CurrentPrincipal) -> Response:
    async with ctx.runtime.transaction() as session:
        found = await readable_file(session, principal, code, position)
    return await serve_blob(ctx.blobs, found.sha256, found.name, found.content_type, found.size)
