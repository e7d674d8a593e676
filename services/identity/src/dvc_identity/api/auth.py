"""Officer login, password change, refresh, logout; JWKS and discovery; signing-key rotation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from dvc_common.auth import Principal, Role, require_roles
from dvc_common.problems import Problem
from dvc_identity import service
from dvc_identity.api.deps import Ctx, RequestOrigin, Runtime
from dvc_identity.service import TokenPair

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PasswordChangeIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


def _settle(outcome: TokenPair | Problem) -> TokenPair:
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


@router.post("/api/v1/auth/login", summary="Cán bộ đăng nhập bằng tên đăng nhập và mật khẩu")
async def login(body: LoginIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> TokenPair:
    async with rt.transaction() as session:
        outcome = await service.login(session, ctx, body.username, body.password, origin)
    return _settle(outcome)


@router.post("/api/v1/auth/password", summary="Đổi mật khẩu (bắt buộc ở lần đăng nhập đầu)")
async def change_password(body: PasswordChangeIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> TokenPair:
    async with rt.transaction() as session:
        outcome = await service.change_password(
            session, ctx, body.username, body.current_password, body.new_password, origin
        )
    return _settle(outcome)


@router.post("/api/v1/auth/refresh", summary="Cấp lại mã truy cập bằng mã làm mới (dùng một lần)")
async def refresh(body: RefreshIn, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> TokenPair:
    async with rt.transaction() as session:
        outcome = await service.refresh(session, ctx, body.refresh_token, origin)
    return _settle(outcome)


@router.post("/api/v1/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Đăng xuất")
async def logout(body: RefreshIn, rt: Runtime, origin: RequestOrigin) -> None:
    async with rt.transaction() as session:
        await service.logout(session, body.refresh_token, origin)


@router.get("/.well-known/jwks.json", summary="Khóa công khai để xác minh mã truy cập (JWKS)")
async def jwks(ctx: Ctx) -> dict[str, Any]:
    return await ctx.keys.jwks()


@router.get("/.well-known/openid-configuration", summary="Thông tin nhà phát hành mã truy cập")
async def discovery(ctx: Ctx) -> dict[str, Any]:
    base = ctx.settings.public_url.rstrip("/")
    return {
        "issuer": ctx.settings.public_url,
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "token_endpoint": f"{base}/api/v1/auth/login",
        "id_token_signing_alg_values_supported": ["ES256"],
    }


class RotatedKey(BaseModel):
    kid: str


Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]


@router.post("/api/v1/admin/signing-keys/rotate", summary="Xoay vòng khóa ký (Văn phòng UBND tỉnh)")
async def rotate(principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> RotatedKey:
    async with rt.transaction() as session:
        kid = await service.rotate_keys(session, ctx, principal, origin)
    await ctx.keys.reload()
    return RotatedKey(kid=kid)
