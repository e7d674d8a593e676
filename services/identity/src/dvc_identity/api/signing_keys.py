"""What token verifiers need: JWKS and discovery; signing-key rotation."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_identity.deps import Ctx, Operator, RequestOrigin, Runtime
from dvc_identity.schemas import IssuerMetadata, Jwks, RotatedKey
from dvc_identity.service import signing_keys

router = APIRouter(tags=["auth"])


@router.get("/.well-known/jwks.json", summary="Khóa công khai để xác minh mã truy cập (JWKS)")
async def jwks(ctx: Ctx) -> Jwks:
    return await signing_keys.published_keys(ctx)


@router.get("/.well-known/openid-configuration", summary="Thông tin nhà phát hành mã truy cập")
async def discovery(ctx: Ctx) -> IssuerMetadata:
    return signing_keys.issuer_metadata(ctx.settings)


@router.post("/api/v1/admin/signing-keys/rotate", summary="Xoay vòng khóa ký (Văn phòng UBND tỉnh)")
async def rotate(principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin) -> RotatedKey:
    async with rt.transaction() as session:
        kid = await signing_keys.rotate_keys(session, ctx, principal, origin)
    await ctx.keys.reload()  # after the commit: this replica signs with the new key at once
    return RotatedKey(kid=kid)
