"""Citizens and organisations: sign-in with VNeID (authorization code + PKCE), their profile."""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.domain import pkce
from dvc_identity.models import Citizen, OidcLogin
from dvc_identity.oidc import VneidError
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import CitizenProfile, TokenPair
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin, now_utc
from dvc_identity.service.tokens import issue_tokens

log = logging.getLogger(__name__)


async def start_citizen_login(session: AsyncSession, ctx: Identity) -> str:
    state, nonce, verifier = pkce.new_state(), pkce.new_state(), pkce.new_verifier()
    IdentityRepository(session).add(
        OidcLogin(state=state, nonce=nonce, code_verifier=verifier, created_at=now_utc())
    )
    try:
        return await ctx.vneid.authorize_url(
            state=state, nonce=nonce, code_challenge=pkce.challenge(verifier)
        )
    except VneidError as exc:
        raise errors.vneid_unavailable() from exc


async def finish_citizen_login(
    session: AsyncSession,
    ctx: Identity,
    *,
    code: str | None,
    state: str | None,
    error: str | None,
    origin: Origin,
) -> TokenPair | Problem:
    repo = IdentityRepository(session)
    now = now_utc()
    if not state:
        return errors.vneid_refused("Thiếu tham số state.")
    login_row = await repo.consume_oidc_login(
        state, now, now - timedelta(seconds=ctx.settings.oidc_login_seconds)
    )
    if login_row is None:
        await record(
            session,
            "citizen.login_rejected",
            actor=None,
            actor_kind=None,
            origin=origin,
            detail={"reason": "unknown_or_replayed_state"},
        )
        return errors.vneid_refused("Phiên đăng nhập không tồn tại, đã hết hạn hoặc đã được sử dụng.")
    if error or not code:
        return errors.vneid_refused("VNeID không xác nhận đăng nhập.")
    try:
        tokens = await ctx.vneid.exchange(code, login_row.code_verifier)
        claims = await ctx.vneid.verify_id_token(str(tokens["id_token"]), nonce=login_row.nonce)
    except VneidError as exc:
        log.warning("VNeID login rejected", extra={"reason": str(exc)})
        await record(
            session,
            "citizen.login_rejected",
            actor=None,
            actor_kind=None,
            origin=origin,
            detail={"reason": str(exc)},
        )
        return errors.vneid_refused("Không xác thực được thông tin đăng nhập từ VNeID.")
    kind = claims.get("account_type")
    identifier = claims.get("personal_id") if kind == "citizen" else claims.get("tax_code")
    if kind not in ("citizen", "organisation") or not isinstance(identifier, str):
        return errors.vneid_refused("Tài khoản VNeID không có đủ thông tin định danh.")
    citizen = await repo.citizen_by_sub(str(claims["sub"]))
    name = str(claims.get("organisation_name") if kind == "organisation" else claims.get("name", ""))
    birth = claims.get("birthdate")
    if citizen is None:
        citizen = Citizen(
            vneid_sub=str(claims["sub"]), kind=kind, identifier=identifier, full_name=name, last_login_at=now
        )
        repo.add(citizen)
    citizen.kind = kind
    citizen.identifier = identifier
    citizen.full_name = name
    citizen.birth_date = date.fromisoformat(birth) if isinstance(birth, str) and birth else None
    citizen.assurance_level = int(claims.get("loa", 1))
    citizen.last_login_at = now
    await session.flush()
    await record(
        session,
        "citizen.login_succeeded",
        actor=str(citizen.id),
        actor_kind=kind,
        target=str(citizen.id),
        origin=origin,
        detail={"assurance_level": citizen.assurance_level},
    )
    return await issue_tokens(
        session, ctx, subject=str(citizen.id), kind=kind, claims={"name": citizen.full_name}
    )


async def citizen_profile(session: AsyncSession, principal: Principal) -> CitizenProfile:
    citizen = await IdentityRepository(session).citizen(uuid.UUID(principal.subject))
    if citizen is None:
        raise errors.citizen_account_not_found()
    return CitizenProfile.model_validate(citizen, from_attributes=True)
