"""Our signing keys as verifiers see them, and their rotation (the key ring itself is `dvc_identity.keys`)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_identity.schemas import IssuerMetadata, Jwks, PublicJwk
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin
from dvc_identity.settings import IdentitySettings


async def published_keys(ctx: Identity) -> Jwks:
    """Every key a token still alive may be signed with (see `KeyRing`)."""
    document = await ctx.keys.jwks()
    return Jwks(keys=[PublicJwk.model_validate(key) for key in document["keys"]])


def issuer_metadata(settings: IdentitySettings) -> IssuerMetadata:
    base = settings.public_url.rstrip("/")
    return IssuerMetadata(
        issuer=settings.public_url,
        jwks_uri=f"{base}/.well-known/jwks.json",
        token_endpoint=f"{base}/api/v1/auth/login",
        id_token_signing_alg_values_supported=["ES256"],
    )


async def rotate_keys(
    session: AsyncSession, ctx: Identity, principal: Principal | None, origin: Origin
) -> str:
    kid = await ctx.keys.rotate(session)
    await record(
        session,
        "signing_key.rotated",
        actor=principal.subject if principal else None,
        actor_kind="officer" if principal else "system",
        target=kid,
        origin=origin,
    )
    return kid
