"""Officer accounts: open, read, list, change, lock, unlock, reset the password.

A temporary password (a new account's, a reset's) goes to the holder's own e-mail through
`officer.credentials_issued.v1` (notify mails it); the actor never sees it. A privileged account's
change of a peer (same level: operator to operator, agency admin to agency admin) waits for a second
privileged account's approval (four-eyes, `service.peer_changes`); every request, approval and
refusal is in the audit chain.
"""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import OFFICER_LOCKED, OFFICER_UPSERTED, OfficerLocked, OfficerUpserted
from dvc_common.events.identity import OFFICER_CREDENTIALS_ISSUED, OfficerCredentialsIssued
from dvc_common.principal import Principal, Role
from dvc_identity import errors
from dvc_identity.domain import accounts, passwords
from dvc_identity.models import Department, Officer
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import CreatedOfficer, OfficerChange, OfficerIn, OfficerView
from dvc_identity.service.agencies import load_seed
from dvc_identity.service.audit import record_on_officer
from dvc_identity.service.context import Identity, Origin, actor_of, now_utc

LockReason = Literal["administrative", "moved", "left"]


def is_locked(officer: Officer) -> bool:
    return officer.locked_at is not None


def officer_view(
    officer: Officer, population_access: bool = False, department: Department | None = None
) -> OfficerView:
    now = now_utc()
    return OfficerView(
        id=officer.id,
        username=officer.username,
        agency_id=officer.agency_id,
        full_name=officer.full_name,
        position=officer.position,
        department=officer.department,
        department_name=department.name if department else None,
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


async def _view(session: AsyncSession, officer: Officer, population_access: bool = False) -> OfficerView:
    department = (
        await IdentityRepository(session).department(officer.agency_id, officer.department)
        if officer.department
        else None
    )
    return officer_view(officer, population_access, department)


def temporary_password() -> str:
    """A random password meeting the policy, sent once to the holder; they must change it."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        candidate = f"{body}-{secrets.randbelow(90) + 10}"
        if not passwords.policy_violations(candidate, username=""):
            return candidate


def masked(email: str) -> str:
    """`n***@laichau.gov.vn`: enough for the actor to check the address, not to learn it."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


async def _publish_officer(session: AsyncSession, ctx: Identity, officer: Officer) -> None:
    department = (
        await IdentityRepository(session).department(officer.agency_id, officer.department)
        if officer.department
        else None
    )
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
            department=officer.department,
            department_name=department.name if department else None,
            email=officer.email,
            tokens_valid_after=officer.tokens_valid_after,
            updated_at=officer.updated_at,
        ),
        subject=str(officer.id),
    )


async def _issue_credentials(
    session: AsyncSession,
    ctx: Identity,
    officer: Officer,
    password: str,
    reason: Literal["created", "reset"],
    now: datetime,
) -> None:
    await ctx.outbox.add(
        session,
        OFFICER_CREDENTIALS_ISSUED,
        OfficerCredentialsIssued(
            officer_id=str(officer.id),
            agency_id=officer.agency_id,
            name=officer.full_name,
            email=officer.email,
            temporary_password=password,
            reason=reason,
            issued_at=now,
        ),
        subject=str(officer.id),
    )


async def _check_department(session: AsyncSession, agency_id: str, code: str | None) -> None:
    """A department is one of the agency's own (not free text)."""
    if code is None:
        return
    repo = IdentityRepository(session)
    found = await repo.department(agency_id, code)
    if found is None or not found.active:
        choices = [f"{d.code} ({d.name})" for d in await repo.departments(agency_id)]
        raise errors.unknown_department(agency_id, choices)


async def open_account(
    session: AsyncSession, ctx: Identity, principal: Principal | None, data: OfficerIn, origin: Origin
) -> tuple[Officer, str]:
    roles = frozenset(role.value for role in data.roles)
    if principal is not None and not accounts.may_manage(actor_of(principal), data.agency_id, roles):
        raise errors.not_agency_of_admin()
    repo = IdentityRepository(session)
    agency = await repo.agency(data.agency_id)
    if agency is None or not agency.active:
        raise errors.unknown_agency(data.agency_id)
    await _check_department(session, data.agency_id, data.department)
    if await repo.officer_by_username(data.username) is not None:
        raise errors.username_taken()
    password = temporary_password()
    now = now_utc()
    officer = Officer(
        username=data.username,
        agency_id=data.agency_id,
        full_name=data.full_name,
        position=data.position,
        department=data.department,
        roles=sorted(roles),
        email=data.email or None,
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
        detail={
            "username": officer.username,
            "roles": officer.roles,
            "position": officer.position,
            "department": officer.department,
        },
    )
    return officer, password


async def create_officer(
    session: AsyncSession, ctx: Identity, principal: Principal, data: OfficerIn, origin: Origin
) -> CreatedOfficer:
    """A new account; its temporary password goes to the holder's e-mail, never to the actor."""
    officer, password = await open_account(session, ctx, principal, data, origin)
    await _issue_credentials(session, ctx, officer, password, "created", officer.created_at)
    return CreatedOfficer(officer=await _view(session, officer), credentials_sent_to=masked(data.email))


async def bootstrap_operator(
    session: AsyncSession, ctx: Identity, username: str, full_name: str, agency_id: str, origin: Origin
) -> tuple[OfficerView, str] | None:
    """The first provincial operator, on a fresh installation too (the agency tree is seeded first);
    None when the username is taken. Its temporary password is printed to whoever runs the command
    on the server (the operator themselves): there is nobody else to send it through yet."""
    await load_seed(session, ctx)
    if await IdentityRepository(session).officer_by_username(username) is not None:
        return None
    operator = OfficerIn.model_construct(
        username=username,
        agency_id=agency_id,
        full_name=full_name,
        position="Quản trị hệ thống cấp tỉnh",
        department=None,
        roles=[Role.PROVINCIAL_OPERATOR, Role.AGENCY_ADMIN],
        email="",
        phone=None,
    )
    officer, password = await open_account(session, ctx, None, operator, origin)
    return officer_view(officer), password


async def managed_officer(
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
    return await _view(session, officer, await repo.active_grant(officer.id) is not None)


async def list_officers(
    session: AsyncSession,
    principal: Principal,
    agency_id: str | None,
    after: str | None,
    limit: int,
    department: str | None = None,
) -> list[OfficerView]:
    """The accounts the caller may list (`accounts.officer_listing`), by username."""
    repo = IdentityRepository(session)
    me = await repo.officer(uuid.UUID(principal.subject)) if principal.is_officer else None
    listing = accounts.officer_listing(
        actor_of(principal), me.department if me else None, agency_id, department
    )
    if listing is None:
        raise errors.other_agency_listing()
    if listing.agency_id is not None and listing.department is not None:
        await _check_department(session, listing.agency_id, listing.department)
    officers = await repo.officers(listing.agency_id, after=after, limit=limit, department=listing.department)
    names: dict[tuple[str, str], Department] = {}
    views = []
    for officer in officers:
        key = (officer.agency_id, officer.department or "")
        if officer.department and key not in names:
            found = await repo.department(*key)
            if found is not None:
                names[key] = found
        views.append(officer_view(officer, department=names.get(key)))
    return views


async def void_access(session: AsyncSession, officer: Officer, now: datetime, reason: str) -> None:
    """Tokens issued until now stop working everywhere; refresh tokens and population access end."""
    repo = IdentityRepository(session)
    officer.tokens_valid_after = now
    await repo.revoke_subject_tokens(str(officer.id), now)
    grant = await repo.active_grant(officer.id)
    if grant is not None:
        grant.revoked_at = now
        grant.revoked_reason = reason


def new_roles_of(change: OfficerChange) -> frozenset[str] | None:
    return frozenset(r.value for r in change.roles) if change.roles is not None else None


async def check_change(
    session: AsyncSession, principal: Principal, officer_id: uuid.UUID, change: OfficerChange
) -> Officer:
    """The officer `principal` may change as `change` says (refusals raised)."""
    new_roles = new_roles_of(change)
    if new_roles is not None and principal.subject == str(officer_id):
        raise errors.own_roles()
    officer = await managed_officer(session, principal, officer_id, new_roles or frozenset())
    await _check_department(session, officer.agency_id, change.department)
    return officer


async def apply_change(
    session: AsyncSession,
    ctx: Identity,
    actor: str,
    officer: Officer,
    change: OfficerChange,
    origin: Origin,
    approved_by: str | None = None,
) -> OfficerView:
    new_roles = new_roles_of(change)
    now = now_utc()
    before = {"position": officer.position, "department": officer.department, "roles": list(officer.roles)}
    moved = _apply_change(officer, change, new_roles)
    officer.updated_at = now
    if moved:
        # A change of position or roles (điều chỉnh vị trí công tác) takes effect at once.
        await void_access(session, officer, now, "Thay đổi vị trí công tác")
    await _publish_officer(session, ctx, officer)
    detail: dict[str, Any] = {
        "before": before,
        "after": {
            "position": officer.position,
            "department": officer.department,
            "roles": list(officer.roles),
        },
        "fields": sorted(k for k, v in change.model_dump().items() if v is not None),
    }
    if approved_by is not None:
        detail["approved_by"] = approved_by
    await record_on_officer(session, "officer.changed", officer, origin, actor=actor, detail=detail)
    return await _view(session, officer)


def _apply_change(officer: Officer, change: OfficerChange, new_roles: frozenset[str] | None) -> bool:
    """Apply what the change sets; whether it moves the officer (another position, department or roles)."""
    for key in ("full_name", "email", "phone"):
        value = getattr(change, key)
        if value is not None:
            setattr(officer, key, value)
    moved = (
        (change.position is not None and change.position != officer.position)
        or (change.department is not None and change.department != officer.department)
        or (new_roles is not None and new_roles != frozenset(officer.roles))
    )
    if change.position is not None:
        officer.position = change.position
    if change.department is not None:
        officer.department = change.department
    if new_roles is not None:
        officer.roles = sorted(new_roles)
    return moved


def check_lock(principal: Principal, officer_id: uuid.UUID) -> None:
    if principal.subject == str(officer_id):
        raise errors.self_lock()


async def apply_lock(
    session: AsyncSession,
    ctx: Identity,
    actor: str,
    officer: Officer,
    reason: LockReason,
    origin: Origin,
    approved_by: str | None = None,
) -> OfficerView:
    now = now_utc()
    officer.locked_at = now
    officer.lock_reason = reason
    officer.updated_at = now
    await void_access(session, officer, now, f"Khóa tài khoản ({reason})")
    await ctx.outbox.add(
        session,
        OFFICER_LOCKED,
        OfficerLocked(officer_id=str(officer.id), agency_id=officer.agency_id, locked_at=now, reason=reason),
        subject=str(officer.id),
    )
    await _publish_officer(session, ctx, officer)
    detail: dict[str, Any] = {"reason": reason}
    if approved_by is not None:
        detail["approved_by"] = approved_by
    await record_on_officer(session, "officer.locked", officer, origin, actor=actor, detail=detail)
    return await _view(session, officer)


async def unlock_officer(
    session: AsyncSession, ctx: Identity, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> OfficerView:
    officer = await managed_officer(session, principal, officer_id)
    officer.locked_at = None
    officer.lock_reason = None
    officer.locked_until = None
    officer.failed_logins = 0
    officer.updated_at = now_utc()
    await _publish_officer(session, ctx, officer)
    await record_on_officer(session, "officer.unlocked", officer, origin, actor=principal.subject)
    return await _view(session, officer)


async def reset_password(
    session: AsyncSession, ctx: Identity, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> CreatedOfficer:
    """A new temporary password, sent to the holder's own e-mail (never to the actor)."""
    officer = await managed_officer(session, principal, officer_id)
    if not officer.email:
        raise errors.no_email_for_credentials()
    password = temporary_password()
    now = now_utc()
    officer.password_hash = await ctx.passwords.hash(password)
    officer.must_change_password = True
    officer.updated_at = now
    officer.tokens_valid_after = now
    await IdentityRepository(session).revoke_subject_tokens(str(officer.id), now)
    await _issue_credentials(session, ctx, officer, password, "reset", now)
    await _publish_officer(session, ctx, officer)
    await record_on_officer(
        session,
        "officer.password_reset",
        officer,
        origin,
        actor=principal.subject,
        detail={"sent_to": masked(officer.email)},
    )
    return CreatedOfficer(officer=await _view(session, officer), credentials_sent_to=masked(officer.email))
