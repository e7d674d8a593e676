"""Officer accounts: open, read, list, change, lock, unlock, reset the password."""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import datetime
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import OFFICER_LOCKED, OFFICER_UPSERTED, OfficerLocked, OfficerUpserted
from dvc_common.principal import Principal, Role
from dvc_identity import errors
from dvc_identity.domain import accounts, passwords
from dvc_identity.models import Officer
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import CreatedOfficer, OfficerChange, OfficerIn, OfficerView
from dvc_identity.service.agencies import load_seed
from dvc_identity.service.audit import record_on_officer
from dvc_identity.service.context import Identity, Origin, actor_of, now_utc


def is_locked(officer: Officer) -> bool:
    return officer.locked_at is not None


def officer_view(officer: Officer, population_access: bool = False) -> OfficerView:
    now = now_utc()
    return OfficerView(
        id=officer.id,
        username=officer.username,
        agency_id=officer.agency_id,
        full_name=officer.full_name,
        position=officer.position,
        roles=list(officer.roles),
        email=officer.email,
        phone=officer.phone,
        must_change_password=officer.must_change_password,
        locked=is_locked(officer),
        lock_reason=officer.lock_reason,
        temporarily_locked_until=officer.locked_until
        if officer.locked_until and officer.locked_until > now
        else None,
        population_access=population_access,
    )


def temporary_password() -> str:
    """A random password meeting the policy, handed over once; the officer must change it."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        candidate = f"{body}-{secrets.randbelow(90) + 10}"
        if not passwords.policy_violations(candidate, username=""):
            return candidate


async def _publish_officer(session: AsyncSession, ctx: Identity, officer: Officer) -> None:
    await ctx.outbox.add(
        session,
        OFFICER_UPSERTED,
        OfficerUpserted(
            officer_id=str(officer.id),
            agency_id=officer.agency_id,
            name=officer.full_name,
            position=officer.position,
            roles=list(officer.roles),
            active=not is_locked(officer),
            tokens_valid_after=officer.tokens_valid_after,
            updated_at=officer.updated_at,
        ),
        subject=str(officer.id),
    )


async def create_officer(
    session: AsyncSession, ctx: Identity, principal: Principal | None, data: OfficerIn, origin: Origin
) -> CreatedOfficer:
    roles = frozenset(role.value for role in data.roles)
    if principal is not None and not accounts.may_manage(actor_of(principal), data.agency_id, roles):
        raise errors.not_agency_of_admin()
    repo = IdentityRepository(session)
    agency = await repo.agency(data.agency_id)
    if agency is None or not agency.active:
        raise errors.unknown_agency(data.agency_id)
    if await repo.officer_by_username(data.username) is not None:
        raise errors.username_taken()
    password = temporary_password()
    now = now_utc()
    officer = Officer(
        username=data.username,
        agency_id=data.agency_id,
        full_name=data.full_name,
        position=data.position,
        roles=sorted(roles),
        email=data.email,
        phone=data.phone,
        password_hash=await ctx.passwords.hash(password),
        must_change_password=True,
        created_by=principal.subject if principal else "system",
        created_at=now,
        updated_at=now,
    )
    repo.add(officer)
    await session.flush()
    await _publish_officer(session, ctx, officer)
    await record_on_officer(
        session,
        "officer.created",
        officer,
        origin,
        actor=principal.subject if principal else None,
        detail={"username": officer.username, "roles": officer.roles, "position": officer.position},
    )
    return CreatedOfficer(officer=officer_view(officer), temporary_password=password)


async def bootstrap_operator(
    session: AsyncSession, ctx: Identity, username: str, full_name: str, agency_id: str, origin: Origin
) -> CreatedOfficer | None:
    """The first provincial operator, on a fresh installation too (the agency tree is seeded first);
    None when the username is taken."""
    await load_seed(session, ctx)
    if await IdentityRepository(session).officer_by_username(username) is not None:
        return None
    operator = OfficerIn(
        username=username,
        agency_id=agency_id,
        full_name=full_name,
        position="Quản trị hệ thống cấp tỉnh",
        roles=[Role.PROVINCIAL_OPERATOR, Role.AGENCY_ADMIN],
    )
    return await create_officer(session, ctx, None, operator, origin)


async def _managed_officer(
    session: AsyncSession,
    principal: Principal,
    officer_id: uuid.UUID,
    extra_roles: frozenset[str] = frozenset(),
) -> Officer:
    officer = await IdentityRepository(session).officer(officer_id, for_update=True)
    # An account of another agency is reported as missing: its existence is not ours to know.
    if officer is None or not accounts.may_read(actor_of(principal), officer.agency_id):
        raise errors.officer_not_found()
    if not accounts.may_manage(
        actor_of(principal), officer.agency_id, frozenset(officer.roles) | extra_roles
    ):
        raise errors.not_managed_by_you()
    return officer


async def get_officer(session: AsyncSession, principal: Principal, officer_id: uuid.UUID) -> OfficerView:
    repo = IdentityRepository(session)
    officer = await repo.officer(officer_id)
    if officer is None or not (
        accounts.may_read(actor_of(principal), officer.agency_id) or principal.subject == str(officer_id)
    ):
        raise errors.officer_not_found()
    return officer_view(officer, await repo.active_grant(officer.id) is not None)


async def list_officers(
    session: AsyncSession, principal: Principal, agency_id: str | None, after: str | None, limit: int
) -> list[OfficerView]:
    actor = actor_of(principal)
    if agency_id is None and not (actor.has(Role.PROVINCIAL_OPERATOR) or actor.has(Role.AUDITOR)):
        agency_id = principal.agency_id
    if agency_id is None or not accounts.may_read(actor, agency_id):
        raise errors.other_agency_listing()
    officers = await IdentityRepository(session).officers(agency_id, after=after, limit=limit)
    return [officer_view(o) for o in officers]


async def _void_access(session: AsyncSession, officer: Officer, now: datetime, reason: str) -> None:
    """Tokens issued until now stop working everywhere; refresh tokens and population access end."""
    repo = IdentityRepository(session)
    officer.tokens_valid_after = now
    await repo.revoke_subject_tokens(str(officer.id), now)
    grant = await repo.active_grant(officer.id)
    if grant is not None:
        grant.revoked_at = now
        grant.revoked_reason = reason


async def change_officer(
    session: AsyncSession,
    ctx: Identity,
    principal: Principal,
    officer_id: uuid.UUID,
    change: OfficerChange,
    origin: Origin,
) -> OfficerView:
    new_roles = frozenset(r.value for r in change.roles) if change.roles is not None else None
    if new_roles is not None and principal.subject == str(officer_id):
        raise errors.own_roles()
    officer = await _managed_officer(session, principal, officer_id, new_roles or frozenset())
    now = now_utc()
    before = {"position": officer.position, "roles": list(officer.roles)}
    moved = _apply_change(officer, change, new_roles)
    officer.updated_at = now
    if moved:
        # A change of position or roles (điều chỉnh vị trí công tác) takes effect at once.
        await _void_access(session, officer, now, "Thay đổi vị trí công tác")
    await _publish_officer(session, ctx, officer)
    await record_on_officer(
        session,
        "officer.changed",
        officer,
        origin,
        actor=principal.subject,
        detail={
            "before": before,
            "after": {"position": officer.position, "roles": list(officer.roles)},
            "fields": sorted(k for k, v in change.model_dump().items() if v is not None),
        },
    )
    return officer_view(officer)


def _apply_change(officer: Officer, change: OfficerChange, new_roles: frozenset[str] | None) -> bool:
    """Apply what the change sets; whether it moves the officer (another position or other roles)."""
    for key in ("full_name", "email", "phone"):
        value = getattr(change, key)
        if value is not None:
            setattr(officer, key, value)
    moved = (change.position is not None and change.position != officer.position) or (
        new_roles is not None and new_roles != frozenset(officer.roles)
    )
    if change.position is not None:
        officer.position = change.position
    if new_roles is not None:
        officer.roles = sorted(new_roles)
    return moved


async def lock_officer(
    session: AsyncSession,
    ctx: Identity,
    principal: Principal,
    officer_id: uuid.UUID,
    reason: Literal["administrative", "moved", "left"],
    origin: Origin,
) -> OfficerView:
    if principal.subject == str(officer_id):
        raise errors.self_lock()
    officer = await _managed_officer(session, principal, officer_id)
    now = now_utc()
    officer.locked_at = now
    officer.lock_reason = reason
    officer.updated_at = now
    await _void_access(session, officer, now, f"Khóa tài khoản ({reason})")
    await ctx.outbox.add(
        session,
        OFFICER_LOCKED,
        OfficerLocked(officer_id=str(officer.id), agency_id=officer.agency_id, locked_at=now, reason=reason),
        subject=str(officer.id),
    )
    await _publish_officer(session, ctx, officer)
    await record_on_officer(
        session,
        "officer.locked",
        officer,
        origin,
        actor=principal.subject,
        detail={"reason": reason},
    )
    return officer_view(officer)


async def unlock_officer(
    session: AsyncSession, ctx: Identity, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> OfficerView:
    officer = await _managed_officer(session, principal, officer_id)
    officer.locked_at = None
    officer.lock_reason = None
    officer.locked_until = None
    officer.failed_logins = 0
    officer.updated_at = now_utc()
    await _publish_officer(session, ctx, officer)
    await record_on_officer(session, "officer.unlocked", officer, origin, actor=principal.subject)
    return officer_view(officer)


async def reset_password(
    session: AsyncSession, ctx: Identity, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> CreatedOfficer:
    officer = await _managed_officer(session, principal, officer_id)
    password = temporary_password()
    now = now_utc()
    officer.password_hash = await ctx.passwords.hash(password)
    officer.must_change_password = True
    officer.updated_at = now
    officer.tokens_valid_after = now
    await IdentityRepository(session).revoke_subject_tokens(str(officer.id), now)
    await record_on_officer(session, "officer.password_reset", officer, origin, actor=principal.subject)
    return CreatedOfficer(officer=officer_view(officer), temporary_password=password)
