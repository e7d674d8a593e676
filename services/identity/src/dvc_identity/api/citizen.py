"""Citizen and organisation login through VNeID."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from dvc_common.problems import Problem
from dvc_identity import service
from dvc_identity.api.deps import Ctx, RequestOrigin, Runtime
from dvc_identity.service import TokenPair

router = APIRouter(prefix="/api/v1/citizen", tags=["citizen"])


@router.get("/login", summary="Đăng nhập bằng VNeID (chuyển hướng sang VNeID)")
async def login(rt: Runtime, ctx: Ctx) -> RedirectResponse:
    async with rt.transaction() as session:
        url = await service.start_citizen_login(session, ctx)
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


@router.get("/callback", summary="VNeID trả về mã xác thực")
async def callback(
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> TokenPair:
    async with rt.transaction() as session:
        outcome = await service.finish_citizen_login(
            session, ctx, code=code, state=state, error=error, origin=origin
        )
    if isinstance(outcome, Problem):
        raise outcome
    return outcome
