"""Signing-key rotation (the key ring itself is `dvc_identity.keys`)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin


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
