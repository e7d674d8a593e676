"""Access and refresh tokens: issue a pair, refresh it once, log out, tell a revoked token."""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.keys import new_jti
from dvc_identity.models import Officer, RefreshToken
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import TokenPair
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin, now_utc
from dvc_identity.service.officers import is_locked


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_tokens(
    session: AsyncSession,
    ctx: Identity,
    *,
    subject: str,
    kind: str,
    claims: dict[str, Any],
    family: uuid.UUID | None = None,
) -> TokenPair:
    now = now_utc()
    settings = ctx.settings
    # Millisecond `iat`, rounded up: a token issued right after a lock or change compares as later.
    iat = math.ceil(now.timestamp() * 1000) / 1000
    access = await ctx.keys.sign(
        {
            "sub": subject,
            "iss": settings.public_url,
            "aud": settings.audience,
            "iat": iat,
            "nbf": iat,
            "exp": int(iat) + settings.access_token_seconds,
            "jti": new_jti(),
            "kind": kind,
            **claims,
        }
    )
    refresh = secrets.token_urlsafe(32)
    IdentityRepository(session).add(
        RefreshToken(
            token_hash=refresh_hash(refresh),
            family=family or uuid.uuid4(),
            subject=subject,
            kind=kind,
            issued_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_token_seconds),
        )
    )
    return TokenPair(
        access_token=access,
        expires_in=settings.access_token_seconds,
        refresh_token=refresh,
        refresh_expires_in=settings.refresh_token_seconds,
    )


def officer_claims(officer: Officer) -> dict[str, Any]:
    return {
        "name": officer.full_name,
        "agency": officer.agency_id,
        "roles": list(officer.roles),
        "position": officer.position,
    }


async def refresh(session: AsyncSession, ctx: Identity, token: str, origin: Origin) -> TokenPair | Problem:
    repo = IdentityRepository(session)
    stored = await repo.refresh_token(refresh_hash(token))
    now = now_utc()
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        return errors.refresh_refused()
    if stored.used_at is not None:
        # A refresh token is good once: seeing it again means it was copied. End the whole session.
        await repo.revoke_family(stored.family, now)
        await record(
            session,
            "token.refresh_reused",
            actor=stored.subject,
            actor_kind=stored.kind,
            target=stored.subject,
            origin=origin,
        )
        return errors.refresh_refused()
    stored.used_at = now
    if stored.kind == "officer":
        officer = await repo.officer(uuid.UUID(stored.subject))
        if officer is None or is_locked(officer):
            await record(
                session,
                "token.refresh_refused_locked",
                actor=stored.subject,
                actor_kind="officer",
                target=stored.subject,
                origin=origin,
            )
            return errors.locked()
        claims = officer_claims(officer)
    else:
        citizen = await repo.citizen(uuid.UUID(stored.subject))
        if citizen is None:
            return errors.refresh_refused()
        claims = {"name": citizen.full_name}
    return await issue_tokens(
        session, ctx, subject=stored.subject, kind=stored.kind, claims=claims, family=stored.family
    )


async def logout(session: AsyncSession, token: str, origin: Origin) -> None:
    repo = IdentityRepository(session)
    stored = await repo.refresh_token(refresh_hash(token))
    if stored is not None:
        await repo.revoke_family(stored.family, now_utc())
        await record(
            session,
            "logout",
            actor=stored.subject,
            actor_kind=stored.kind,
            target=stored.subject,
            origin=origin,
        )


async def token_revoked(session: AsyncSession, principal: Principal) -> bool:
    """Identity's own check for its endpoints: the database is the truth here."""
    if principal.kind != "officer":
        return False
    try:
        officer = await IdentityRepository(session).officer(uuid.UUID(principal.subject))
    except ValueError:
        return True
    if officer is None or is_locked(officer):
        return True
    valid_after = officer.tokens_valid_after
    return valid_after is not None and (principal.issued_at or 0) <= valid_after.timestamp()
