"""Citizens and organisations: sign-in with VNeID (authorization code + PKCE), their profile."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.domain import identifiers, pkce, vneid
from dvc_identity.models import Citizen, OidcLogin
from dvc_identity.oidc import VneidError
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import CitizenProfile, ResolvedSubject, ResolveIn, TokenPair
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
    now = now_utc()
    if not state:
        return errors.vneid_refused("Thiếu tham số state.")
    login_row = await IdentityRepository(session).consume_oidc_login(
        state, now, now - timedelta(seconds=ctx.settings.oidc_login_seconds)
    )
    if login_row is None:
        await _rejected(session, origin, "unknown_or_replayed_state")
        return errors.vneid_refused("Phiên đăng nhập không tồn tại, đã hết hạn hoặc đã được sử dụng.")
    if error or not code:
        return errors.vneid_refused("VNeID không xác nhận đăng nhập.")
    try:
        tokens = await ctx.vneid.exchange(code, login_row.code_verifier)
        claims = await ctx.vneid.verify_id_token(str(tokens["id_token"]), nonce=login_row.nonce)
    except VneidError as exc:
        log.warning("VNeID login rejected", extra={"reason": str(exc)})
        await _rejected(session, origin, str(exc))
        return errors.vneid_refused("Không xác thực được thông tin đăng nhập từ VNeID.")
    account = vneid.account_of(claims)
    if account is None:
        return errors.vneid_refused("Tài khoản VNeID không có đủ thông tin định danh.")
    citizen = await _remember(session, account, now)
    await record(
        session,
        "citizen.login_succeeded",
        actor=str(citizen.id),
        actor_kind=account.kind,
        target=str(citizen.id),
        origin=origin,
        detail={"assurance_level": citizen.assurance_level},
    )
    return await issue_tokens(
        session, ctx, subject=str(citizen.id), kind=account.kind, claims={"name": citizen.full_name}
    )


async def _rejected(session: AsyncSession, origin: Origin, reason: str) -> None:
    await record(
        session,
        "citizen.login_rejected",
        actor=None,
        actor_kind=None,
        origin=origin,
        detail={"reason": reason},
    )


async def _remember(session: AsyncSession, account: vneid.VneidAccount, now: datetime) -> Citizen:
    """The citizen's account, created at the first login and refreshed from VNeID at every login."""
    repo = IdentityRepository(session)
    citizen = await repo.citizen_by_sub(account.sub)
    if citizen is None:
        citizen = Citizen(
            vneid_sub=account.sub,
            kind=account.kind,
            identifier=account.identifier,
            full_name=account.full_name,
            last_login_at=now,
        )
        repo.add(citizen)
    citizen.kind = account.kind
    citizen.identifier = account.identifier
    citizen.full_name = account.full_name
    citizen.birth_date = account.birth_date
    citizen.assurance_level = account.assurance_level
    citizen.last_login_at = now
    await session.flush()
    return citizen


async def citizen_profile(session: AsyncSession, principal: Principal) -> CitizenProfile:
    citizen = await IdentityRepository(session).citizen(uuid.UUID(principal.subject))
    if citizen is None:
        raise errors.citizen_account_not_found()
    return CitizenProfile.model_validate(citizen, from_attributes=True)


async def resolve_subject(
    session: AsyncSession, ctx: Identity, principal: Principal, query: ResolveIn, origin: Origin
) -> ResolvedSubject | Problem:
    """Whose data store a counter dossier goes to, from the identifier on the person's papers.

    Lai Châu Điều 10.1.a: the one-stop officer checks the person's (for a mandate, the mandator's)
    VNeID account through the personal identification number or the organisation's code, with
    the identification system. A person who signed in already is known here; otherwise VNeID is
    asked and the account remembered (its `sub`, so the person's first login finds the same
    account and the dossier in their store). The population database is not consulted: it holds
    no accounts, and its look-ups are for officers granted them with a purpose (Điện Biên Điều 10).
    Every check, found or not, is in the audit chain.
    """
    problem = identifiers.malformed(query.kind, query.identifier)
    if problem is not None:
        return errors.malformed_identifier(problem)
    repo = IdentityRepository(session)
    citizen = await repo.citizen_by_identifier(query.kind, query.identifier)
    source = "identity"
    if citizen is None:
        source = "vneid"
        citizen = await _verified_with_vneid(repo, ctx, query)
    await record(
        session,
        "citizen.resolved",
        actor=principal.subject,
        actor_kind="officer",
        target=str(citizen.id) if citizen else None,
        agency_id=principal.agency_id,
        origin=origin,
        detail={
            "kind": query.kind,
            "identifier": query.identifier,
            "found": citizen is not None,
            "via": source,
        },
    )
    if citizen is None:
        return errors.no_vneid_account(query.kind)
    return ResolvedSubject(subject=str(citizen.id), kind=query.kind, name=citizen.full_name)


async def _verified_with_vneid(repo: IdentityRepository, ctx: Identity, query: ResolveIn) -> Citizen | None:
    try:
        claims = await ctx.vneid.verify_account(query.identifier, query.kind)
    except VneidError as exc:
        raise errors.vneid_unavailable() from exc
    account = vneid.account_of(claims) if claims is not None else None
    if account is None or account.kind != query.kind or account.identifier != query.identifier:
        return None
    return await repo.add_citizen_if_absent(
        Citizen(
            vneid_sub=account.sub,
            kind=account.kind,
            identifier=account.identifier,
            full_name=account.full_name,
            birth_date=account.birth_date,
            assurance_level=account.assurance_level,
            last_login_at=None,
        )
    )
