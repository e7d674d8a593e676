"""Officer login, password change, refresh, logout."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from dvc_identity import errors
from dvc_identity.deps import Ctx, RequestOrigin, Runtime
from dvc_identity.schemas import LoginIn, PasswordChangeIn, RefreshIn, TokenPair
from dvc_identity.service import login as sign_in
from dvc_identity.service import tokens

# Sign-in answers 401 on wrong credentials (an invalid refresh token, a wrong current password), and
# 423 for an account an administrator locked (told only to whoever knows its password).
router = APIRouter(tags=["auth"], responses={401: {}, 423: {}})

# RFC 6749 §5.1: a response carrying tokens must not be stored by any cache.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def no_store(response: Response) -> None:
    response.headers.update(NO_STORE)


@router.post("/api/v1/auth/login", summary="Cán bộ đăng nhập bằng tên đăng nhập và mật khẩu")
async def login(body: LoginIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin, response: Response) -> TokenPair:
    no_store(response)
    async with rt.transaction() as session:
        outcome = await sign_in.login(session, ctx, body.username, body.password, origin)
    return errors.settled(outcome)


@router.post("/api/v1/auth/password", summary="Đổi mật khẩu (bắt buộc ở lần đăng nhập đầu)")
async def change_password(
    body: PasswordChangeIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin, response: Response
) -> TokenPair:
    no_store(response)
    async with rt.transaction() as session:
        outcome = await sign_in.change_password(
            session, ctx, body.username, body.current_password, body.new_password, origin
        )
    return errors.settled(outcome)


@router.post("/api/v1/auth/refresh", summary="Cấp lại mã truy cập bằng mã làm mới (dùng một lần)")
async def refresh(
    body: RefreshIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin, response: Response
) -> TokenPair:
    no_store(response)
    async with rt.transaction() as session:
        outcome = await tokens.refresh(session, ctx, body.refresh_token, origin)
    return errors.settled(outcome)


@router.post("/api/v1/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Đăng xuất")
async def logout(body: RefreshIn, rt: Runtime, origin: RequestOrigin) -> None:
    async with rt.transaction() as session:
        await tokens.logout(session, body.refresh_token, origin)
