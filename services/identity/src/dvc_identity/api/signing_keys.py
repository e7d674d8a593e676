"""What token verifiers need: JWKS and discovery; signing-key rotation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dvc_identity.deps import Ctx, Operator, RequestOrigin, Runtime
from dvc_identity.schemas import RotatedKey
from dvc_identity.service import signing_keys

router = APIRouter(tags=["auth"])


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


@router.post("/api/v1/admin/signing-keys/rotate", summary="Xoay vòng khóa ký (Văn phòng UBND tỉnh)")
async def rotate(principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> RotatedKey:
    async with rt.transaction() as session:
        kid = await signing_keys.rotate_keys(session, ctx, principal, origin)
    await ctx.keys.reload()
    return RotatedKey(kid=kid)
