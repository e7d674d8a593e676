"""Identity use-cases. They never commit: the request boundary does.

Use-cases whose refusal must still leave a trace (a failed login counts towards the lock, a reused
refresh token revokes its family) return the `Problem` instead of raising it, so the caller commits
first and raises afterwards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal, Role
from dvc_common.events import (
    AGENCY_UPSERTED,
    OFFICER_LOCKED,
    OFFICER_UPSERTED,
    AgencyUpserted,
    OfficerLocked,
    OfficerUpserted,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_identity.domain import accounts, audit, passwords, pkce
from dvc_identity.hashing import Passwords
from dvc_identity.keys import KeyRing, new_jti
from dvc_identity.models import (
    Agency,
    AuditRecord,
    Citizen,
    Officer,
    OidcLogin,
    PopulationGrant,
    PopulationLookup,
    RefreshToken,
)
from dvc_identity.oidc import VneidClient, VneidError
from dvc_identity.repository import IdentityRepository
from dvc_identity.settings import IdentitySettings
from dvc_identity.throttle import AddressThrottle

log = logging.getLogger(__name__)

AgencyLevel = Literal["province", "department", "district", "commune"]
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
PID_PATTERN = r"^[0-9]{12}$"


@dataclass
class Identity:
    """What the use-cases need besides the session (built once per process)."""

    settings: IdentitySettings
    outbox: Outbox
    keys: KeyRing
    passwords: Passwords
    vneid: VneidClient
    http: httpx.AsyncClient
    throttle: AddressThrottle


@dataclass(frozen=True)
class Origin:
    address: str | None = None
    user_agent: str | None = None


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- schemas (API, not tables)
class AgencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=3, max_length=32, description="Mã định danh cơ quan, ví dụ 000.00.14.H56")
    name: str = Field(min_length=3, max_length=300)
    level: AgencyLevel
    parent_id: str | None = None
    active: bool = True


class AgencyView(BaseModel):
    id: str
    name: str
    level: str
    parent_id: str | None
    active: bool


class OfficerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN, description="Tên đăng nhập (chữ thường, số, . _ -)")
    agency_id: str
    full_name: str = Field(min_length=2, max_length=200)
    position: str = Field(min_length=2, max_length=200)
    roles: list[Role] = Field(min_length=1)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^(\+84|0)[0-9]{9,10}$")


class OfficerChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str | None = Field(default=None, min_length=2, max_length=200)
    position: str | None = Field(default=None, min_length=2, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^(\+84|0)[0-9]{9,10}$")


class OfficerView(BaseModel):
    id: uuid.UUID
    username: str
    agency_id: str
    full_name: str
    position: str
    roles: list[str]
    email: str | None
    phone: str | None
    must_change_password: bool
    locked: bool
    lock_reason: str | None
    temporarily_locked_until: datetime | None
    population_access: bool = False


class CreatedOfficer(BaseModel):
    officer: OfficerView
    temporary_password: str = Field(description="Trao trực tiếp cho cán bộ; phải đổi ở lần đăng nhập đầu")


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class AuditView(BaseModel):
    seq: int
    at: datetime
    actor: str | None
    actor_kind: str | None
    action: str
    target: str | None
    agency_id: str | None
    source_address: str | None
    user_agent: str | None
    detail: dict[str, Any]
    hash: str


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    personal_id: str = Field(pattern=PID_PATTERN, description="Số định danh cá nhân (12 chữ số)")
    purpose: str = Field(min_length=10, max_length=500, description="Mục đích tra cứu")
    dossier_code: str = Field(min_length=5, max_length=40, description="Mã hồ sơ đang giải quyết")


@dataclass
class Lockout:
    problem: Problem
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- audit
async def record(
    session: AsyncSession,
    action: str,
    *,
    actor: str | None,
    actor_kind: str | None,
    target: str | None = None,
    agency_id: str | None = None,
    origin: Origin = Origin(),
    detail: dict[str, Any] | None = None,
) -> None:
    repo = IdentityRepository(session)
    last = await repo.last_audit()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else audit.GENESIS
    at = now_utc()
    content = _audit_content(seq, at, actor, actor_kind, action, target, agency_id, origin, detail or {})
    repo.add(
        AuditRecord(
            seq=seq,
            at=at,
            actor=actor,
            actor_kind=actor_kind,
            action=action,
            target=target,
            agency_id=agency_id,
            source_address=origin.address,
            user_agent=(origin.user_agent or "")[:256] or None,
            detail=detail or {},
            prev_hash=prev,
            hash=audit.record_hash(prev, content),
        )
    )


def _audit_content(
    seq: int,
    at: datetime,
    actor: str | None,
    actor_kind: str | None,
    action: str,
    target: str | None,
    agency_id: str | None,
    origin: Origin,
    detail: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "actor_kind": actor_kind,
        "action": action,
        "target": target,
        "agency_id": agency_id,
        "source_address": origin.address,
        "user_agent": (origin.user_agent or "")[:256] or None,
        "detail": json.loads(json.dumps(detail, default=str)),
    }


def audit_content_of(row: AuditRecord) -> dict[str, Any]:
    return _audit_content(
        row.seq,
        row.at,
        row.actor,
        row.actor_kind,
        row.action,
        row.target,
        row.agency_id,
        Origin(row.source_address, row.user_agent),
        row.detail,
    )


async def verify_audit_chain(session: AsyncSession) -> dict[str, Any]:
    repo = IdentityRepository(session)
    rows: list[AuditRecord] = []
    after: int | None = None
    while batch := await repo.audit(after=after, limit=1000):
        rows.extend(batch)
        after = batch[-1].seq
    broken = audit.first_break((r.seq, r.prev_hash, r.hash, audit_content_of(r)) for r in rows)
    return {"records": len(rows), "intact": broken is None, "first_broken_seq": broken}


def _actor(principal: Principal) -> accounts.Actor:
    return accounts.Actor(principal.subject, principal.agency_id, principal.roles)


def _forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Không có quyền", detail)


# ---------------------------------------------------------------- agencies
def agency_view(agency: Agency) -> AgencyView:
    return AgencyView(
        id=agency.id, name=agency.name, level=agency.level, parent_id=agency.parent_id, active=agency.active
    )


async def upsert_agency(
    session: AsyncSession, ctx: Identity, data: AgencyIn, *, actor: str | None, origin: Origin = Origin()
) -> tuple[AgencyView, bool]:
    """Create or change an agency; publishes `agency.upserted.v1` only when something changed."""
    repo = IdentityRepository(session)
    if data.parent_id is not None and data.parent_id != data.id and await repo.agency(data.parent_id) is None:
        raise Problem(
            422,
            "unknown-parent-agency",
            "Không có cơ quan cấp trên",
            f"Không tìm thấy cơ quan {data.parent_id}.",
        )
    current = await repo.agency(data.id)
    values = data.model_dump()
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return agency_view(current), False
    now = now_utc()
    if current is None:
        current = Agency(**values, updated_at=now)
        repo.add(current)
    else:
        for key, value in values.items():
            setattr(current, key, value)
        current.updated_at = now
    await session.flush()
    await ctx.outbox.add(
        session,
        AGENCY_UPSERTED,
        AgencyUpserted(
            agency_id=current.id,
            name=current.name,
            level=data.level,
            parent_id=current.parent_id,
            active=current.active,
            updated_at=now,
        ),
        subject=current.id,
    )
    await record(
        session,
        "agency.upserted",
        actor=actor,
        actor_kind="officer" if actor else "system",
        target=current.id,
        agency_id=current.id,
        origin=origin,
        detail={"name": current.name, "level": current.level},
    )
    return agency_view(current), True


def seed_agencies() -> list[AgencyIn]:
    raw = resources.files("dvc_identity").joinpath("data/agencies.json").read_text(encoding="utf-8")
    return [AgencyIn.model_validate(item) for item in json.loads(raw)]


async def load_seed(session: AsyncSession, ctx: Identity) -> int:
    changed = 0
    for agency in seed_agencies():
        if await IdentityRepository(session).agency(agency.id) is None:
            _, did = await upsert_agency(session, ctx, agency, actor=None)
            changed += did
    return changed


# ---------------------------------------------------------------- officers
def _is_locked(officer: Officer) -> bool:
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
        locked=_is_locked(officer),
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
            active=not _is_locked(officer),
            tokens_valid_after=officer.tokens_valid_after,
            updated_at=officer.updated_at,
        ),
        subject=str(officer.id),
    )


async def create_officer(
    session: AsyncSession, ctx: Identity, principal: Principal | None, data: OfficerIn, origin: Origin
) -> CreatedOfficer:
    roles = frozenset(role.value for role in data.roles)
    if principal is not None and not accounts.may_manage(_actor(principal), data.agency_id, roles):
        raise _forbidden(
            "Chỉ quản trị tài khoản của chính cơ quan mới được cấp tài khoản cho cán bộ cơ quan đó;"
            " vai trò cấp tỉnh do Văn phòng UBND tỉnh cấp."
        )
    repo = IdentityRepository(session)
    agency = await repo.agency(data.agency_id)
    if agency is None or not agency.active:
        raise Problem(422, "unknown-agency", "Không có cơ quan", f"Không tìm thấy cơ quan {data.agency_id}.")
    if await repo.officer_by_username(data.username) is not None:
        raise Problem(409, "username-taken", "Tên đăng nhập đã tồn tại", "Vui lòng chọn tên đăng nhập khác.")
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
    await record(
        session,
        "officer.created",
        actor=principal.subject if principal else None,
        actor_kind="officer" if principal else "system",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
        detail={"username": officer.username, "roles": officer.roles, "position": officer.position},
    )
    return CreatedOfficer(officer=officer_view(officer), temporary_password=password)


async def _managed_officer(
    session: AsyncSession,
    principal: Principal,
    officer_id: uuid.UUID,
    extra_roles: frozenset[str] = frozenset(),
) -> Officer:
    officer = await IdentityRepository(session).officer(officer_id, for_update=True)
    # An account of another agency is reported as missing: its existence is not ours to know.
    if officer is None or not accounts.may_read(_actor(principal), officer.agency_id):
        raise Problem(
            404,
            "officer-not-found",
            "Không tìm thấy tài khoản",
            "Không có tài khoản này trong phạm vi quản lý.",
        )
    if not accounts.may_manage(_actor(principal), officer.agency_id, frozenset(officer.roles) | extra_roles):
        raise _forbidden("Tài khoản này không thuộc phạm vi quản lý của bạn.")
    return officer


async def get_officer(session: AsyncSession, principal: Principal, officer_id: uuid.UUID) -> OfficerView:
    repo = IdentityRepository(session)
    officer = await repo.officer(officer_id)
    if officer is None or not (
        accounts.may_read(_actor(principal), officer.agency_id) or principal.subject == str(officer_id)
    ):
        raise Problem(
            404,
            "officer-not-found",
            "Không tìm thấy tài khoản",
            "Không có tài khoản này trong phạm vi quản lý.",
        )
    return officer_view(officer, await repo.active_grant(officer.id) is not None)


async def list_officers(
    session: AsyncSession, principal: Principal, agency_id: str | None, after: str | None, limit: int
) -> list[OfficerView]:
    actor = _actor(principal)
    if agency_id is None and not (actor.has(Role.PROVINCIAL_OPERATOR) or actor.has(Role.AUDITOR)):
        agency_id = principal.agency_id
    if agency_id is None or not accounts.may_read(actor, agency_id):
        raise _forbidden("Bạn chỉ xem được tài khoản của cơ quan mình.")
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
        raise _forbidden("Không ai được tự cấp hoặc thay đổi vai trò của chính mình.")
    officer = await _managed_officer(session, principal, officer_id, new_roles or frozenset())
    now = now_utc()
    before = {"position": officer.position, "roles": list(officer.roles)}
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
    officer.updated_at = now
    if moved:
        # A change of position or roles (điều chỉnh vị trí công tác) takes effect at once.
        await _void_access(session, officer, now, "Thay đổi vị trí công tác")
    await _publish_officer(session, ctx, officer)
    await record(
        session,
        "officer.changed",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
        detail={
            "before": before,
            "after": {"position": officer.position, "roles": list(officer.roles)},
            "fields": sorted(k for k, v in change.model_dump().items() if v is not None),
        },
    )
    return officer_view(officer)


async def lock_officer(
    session: AsyncSession,
    ctx: Identity,
    principal: Principal,
    officer_id: uuid.UUID,
    reason: Literal["administrative", "moved", "left"],
    origin: Origin,
) -> OfficerView:
    if principal.subject == str(officer_id):
        raise Problem(409, "self-lock", "Không thể tự khóa", "Không thể tự khóa tài khoản của chính mình.")
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
    await record(
        session,
        "officer.locked",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
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
    await record(
        session,
        "officer.unlocked",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
    )
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
    await record(
        session,
        "officer.password_reset",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
    )
    return CreatedOfficer(officer=officer_view(officer), temporary_password=password)


# ---------------------------------------------------------------- tokens
def _refresh_hash(token: str) -> str:
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
            token_hash=_refresh_hash(refresh),
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


def _bad_credentials() -> Problem:
    return Problem(
        401, "invalid-credentials", "Đăng nhập không thành công", "Tên đăng nhập hoặc mật khẩu không đúng."
    )


def _locked_problem(until: datetime | None = None) -> Problem:
    if until is not None:
        return Problem(
            423,
            "account-temporarily-locked",
            "Tài khoản tạm khóa",
            "Đăng nhập sai quá số lần cho phép; vui lòng thử lại sau.",
            locked_until=until.isoformat(),
        )
    return Problem(
        423,
        "account-locked",
        "Tài khoản đã bị khóa",
        "Tài khoản đã bị khóa; vui lòng liên hệ quản trị tài khoản của cơ quan.",
    )


async def _check_password(
    session: AsyncSession, ctx: Identity, username: str, password: str, origin: Origin
) -> Officer | Problem:
    """The officer when the password is right and the account may log in; otherwise the refusal."""
    address = origin.address or "unknown"
    wait = ctx.throttle.retry_after(address)
    if wait is not None:
        return Problem(
            429,
            "too-many-attempts",
            "Quá nhiều lần đăng nhập sai",
            f"Vui lòng thử lại sau {wait} giây.",
            headers={"Retry-After": str(wait)},
        )
    repo = IdentityRepository(session)
    officer = await repo.officer_by_username(username, for_update=True)
    now = now_utc()
    state = (
        accounts.LoginState(officer.failed_logins, officer.locked_until, officer.locked_at)
        if officer
        else None
    )
    if officer is not None and state is not None and accounts.temporarily_locked(state, now):
        ctx.throttle.failed(address)
        await record(
            session,
            "login.refused_locked",
            actor=str(officer.id),
            actor_kind="officer",
            target=str(officer.id),
            agency_id=officer.agency_id,
            origin=origin,
        )
        return _locked_problem(officer.locked_until)
    valid = await ctx.passwords.verify(officer.password_hash if officer else None, password)
    if officer is None or state is None:
        ctx.throttle.failed(address)
        await record(
            session,
            "login.failed",
            actor=None,
            actor_kind=None,
            origin=origin,
            detail={"username": username[:64], "reason": "unknown_username"},
        )
        return _bad_credentials()
    if not valid:
        ctx.throttle.failed(address)
        after = accounts.after_failure(
            state,
            now,
            limit=ctx.settings.max_failed_logins,
            lock_for=timedelta(minutes=ctx.settings.failed_login_lock_minutes),
        )
        officer.failed_logins = after.failed_logins
        officer.locked_until = after.locked_until
        locked_now = after.locked_until is not None and after.locked_until > now
        await record(
            session,
            "login.failed",
            actor=str(officer.id),
            actor_kind="officer",
            target=str(officer.id),
            agency_id=officer.agency_id,
            origin=origin,
            detail={"reason": "wrong_password", "temporarily_locked": locked_now},
        )
        return _locked_problem(after.locked_until) if locked_now else _bad_credentials()
    if _is_locked(officer):
        await record(
            session,
            "login.refused_locked",
            actor=str(officer.id),
            actor_kind="officer",
            target=str(officer.id),
            agency_id=officer.agency_id,
            origin=origin,
        )
        return _locked_problem()
    officer.failed_logins = 0
    officer.locked_until = None
    return officer


async def login(
    session: AsyncSession, ctx: Identity, username: str, password: str, origin: Origin
) -> TokenPair | Problem:
    outcome = await _check_password(session, ctx, username, password, origin)
    if isinstance(outcome, Problem):
        return outcome
    officer = outcome
    if officer.must_change_password:
        await record(
            session,
            "login.password_change_required",
            actor=str(officer.id),
            actor_kind="officer",
            target=str(officer.id),
            agency_id=officer.agency_id,
            origin=origin,
        )
        return Problem(
            403,
            "password-change-required",
            "Cần đổi mật khẩu",
            "Đây là lần đăng nhập đầu tiên hoặc mật khẩu vừa được cấp lại: vui lòng đổi mật khẩu"
            " (POST /api/v1/auth/password) rồi đăng nhập.",
        )
    if ctx.passwords.needs_rehash(officer.password_hash):
        officer.password_hash = await ctx.passwords.hash(password)
    return await _officer_signed_in(session, ctx, officer, "login.succeeded", origin)


async def _officer_signed_in(
    session: AsyncSession, ctx: Identity, officer: Officer, action: str, origin: Origin
) -> TokenPair:
    """Audit the officer's own action, then issue their tokens."""
    await record(
        session,
        action,
        actor=str(officer.id),
        actor_kind="officer",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
    )
    return await issue_tokens(
        session, ctx, subject=str(officer.id), kind="officer", claims=officer_claims(officer)
    )


async def change_password(
    session: AsyncSession, ctx: Identity, username: str, current: str, new: str, origin: Origin
) -> TokenPair | Problem:
    outcome = await _check_password(session, ctx, username, current, origin)
    if isinstance(outcome, Problem):
        return outcome
    officer = outcome
    problems = passwords.policy_violations(new, username=officer.username, current=current)
    if problems:
        return Problem(
            422, "weak-password", "Mật khẩu mới chưa đạt yêu cầu", " ".join(problems), errors=problems
        )
    now = now_utc()
    officer.password_hash = await ctx.passwords.hash(new)
    officer.must_change_password = False
    officer.password_changed_at = now
    officer.updated_at = now
    officer.tokens_valid_after = now
    await IdentityRepository(session).revoke_subject_tokens(str(officer.id), now)
    return await _officer_signed_in(session, ctx, officer, "officer.password_changed", origin)


def _refresh_refused() -> Problem:
    return Problem(
        401,
        "invalid-refresh-token",
        "Phiên đăng nhập không còn hiệu lực",
        "Vui lòng đăng nhập lại.",
    )


async def refresh(session: AsyncSession, ctx: Identity, token: str, origin: Origin) -> TokenPair | Problem:
    repo = IdentityRepository(session)
    stored = await repo.refresh_token(_refresh_hash(token))
    now = now_utc()
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        return _refresh_refused()
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
        return _refresh_refused()
    stored.used_at = now
    if stored.kind == "officer":
        officer = await repo.officer(uuid.UUID(stored.subject))
        if officer is None or _is_locked(officer):
            await record(
                session,
                "token.refresh_refused_locked",
                actor=stored.subject,
                actor_kind="officer",
                target=stored.subject,
                origin=origin,
            )
            return _locked_problem()
        claims = officer_claims(officer)
    else:
        citizen = await repo.citizen(uuid.UUID(stored.subject))
        if citizen is None:
            return _refresh_refused()
        claims = {"name": citizen.full_name}
    return await issue_tokens(
        session, ctx, subject=stored.subject, kind=stored.kind, claims=claims, family=stored.family
    )


async def logout(session: AsyncSession, token: str, origin: Origin) -> None:
    repo = IdentityRepository(session)
    stored = await repo.refresh_token(_refresh_hash(token))
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
    if officer is None or _is_locked(officer):
        return True
    valid_after = officer.tokens_valid_after
    return valid_after is not None and (principal.issued_at or 0) <= valid_after.timestamp()


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


# ---------------------------------------------------------------- citizens (VNeID)
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
        raise _vneid_unavailable() from exc


def _vneid_unavailable() -> Problem:
    return Problem(
        503, "vneid-unavailable", "VNeID chưa sẵn sàng", "Không kết nối được VNeID; vui lòng thử lại sau."
    )


def _vneid_refused(detail: str) -> Problem:
    return Problem(400, "vneid-login-rejected", "Đăng nhập VNeID không hợp lệ", detail)


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
        return _vneid_refused("Thiếu tham số state.")
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
        return _vneid_refused("Phiên đăng nhập không tồn tại, đã hết hạn hoặc đã được sử dụng.")
    if error or not code:
        return _vneid_refused("VNeID không xác nhận đăng nhập.")
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
        return _vneid_refused("Không xác thực được thông tin đăng nhập từ VNeID.")
    kind = claims.get("account_type")
    identifier = claims.get("personal_id") if kind == "citizen" else claims.get("tax_code")
    if kind not in ("citizen", "organisation") or not isinstance(identifier, str):
        return _vneid_refused("Tài khoản VNeID không có đủ thông tin định danh.")
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


async def citizen_profile(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    citizen = await IdentityRepository(session).citizen(uuid.UUID(principal.subject))
    if citizen is None:
        raise Problem(
            404, "citizen-not-found", "Không tìm thấy tài khoản", "Vui lòng đăng nhập lại bằng VNeID."
        )
    return {
        "id": str(citizen.id),
        "kind": citizen.kind,
        "identifier": citizen.identifier,
        "full_name": citizen.full_name,
        "birth_date": citizen.birth_date.isoformat() if citizen.birth_date else None,
        "assurance_level": citizen.assurance_level,
    }


# ---------------------------------------------------------------- population database
async def grant_population_access(
    session: AsyncSession, principal: Principal, officer_id: uuid.UUID, signed_on: date, origin: Origin
) -> OfficerView:
    """Sở KH&CN grants look-up rights to a named officer who signed the commitment (Điện Biên Điều 10)."""
    repo = IdentityRepository(session)
    officer = await repo.officer(officer_id, for_update=True)
    if officer is None:
        raise Problem(404, "officer-not-found", "Không tìm thấy tài khoản", "Không có tài khoản này.")
    if _is_locked(officer):
        raise Problem(
            409, "account-locked", "Tài khoản đã bị khóa", "Không cấp quyền cho tài khoản đang bị khóa."
        )
    if signed_on > now_utc().date():
        raise Problem(
            422,
            "commitment-in-future",
            "Ngày ký cam kết không hợp lệ",
            "Ngày ký cam kết không được ở tương lai.",
        )
    if await repo.active_grant(officer_id) is not None:
        raise Problem(409, "already-granted", "Đã có quyền tra cứu", "Cán bộ này đã được cấp quyền tra cứu.")
    repo.add(
        PopulationGrant(
            officer_id=officer_id,
            commitment_signed_on=signed_on,
            granted_by=principal.subject,
            granted_at=now_utc(),
        )
    )
    await record(
        session,
        "population.granted",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer_id),
        agency_id=officer.agency_id,
        origin=origin,
        detail={"commitment_signed_on": signed_on.isoformat()},
    )
    return officer_view(officer, True)


async def revoke_population_access(
    session: AsyncSession, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> None:
    repo = IdentityRepository(session)
    grant = await repo.active_grant(officer_id)
    if grant is None:
        raise Problem(
            404, "no-grant", "Chưa có quyền tra cứu", "Cán bộ này không có quyền tra cứu đang hiệu lực."
        )
    grant.revoked_at = now_utc()
    grant.revoked_reason = "Thu hồi theo đề nghị"
    officer = await repo.officer(officer_id)
    await record(
        session,
        "population.revoked",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer_id),
        agency_id=officer.agency_id if officer else None,
        origin=origin,
    )


async def population_lookup(
    session: AsyncSession, ctx: Identity, principal: Principal, query: LookupIn, origin: Origin
) -> dict[str, Any]:
    repo = IdentityRepository(session)
    officer_id = uuid.UUID(principal.subject)
    if await repo.active_grant(officer_id) is None:
        raise _forbidden("Tài khoản chưa được cấp quyền tra cứu Cơ sở dữ liệu quốc gia về dân cư.")
    try:
        response = await ctx.http.get(
            ctx.settings.population_url.rstrip("/") + f"/api/citizens/{query.personal_id}",
            headers={"X-API-Key": ctx.settings.population_api_key.get_secret_value()},
        )
    except httpx.HTTPError as exc:
        raise Problem(
            503, "population-unavailable", "CSDL dân cư chưa sẵn sàng", "Vui lòng thử lại sau."
        ) from exc
    if response.status_code not in (200, 404):
        raise Problem(503, "population-unavailable", "CSDL dân cư chưa sẵn sàng", "Vui lòng thử lại sau.")
    found = response.status_code == 200
    repo.add(
        PopulationLookup(
            officer_id=officer_id,
            agency_id=principal.agency_id or "",
            personal_id=query.personal_id,
            purpose=query.purpose,
            dossier_code=query.dossier_code,
            found=found,
            at=now_utc(),
            source_address=origin.address,
        )
    )
    await record(
        session,
        "population.lookup",
        actor=principal.subject,
        actor_kind="officer",
        agency_id=principal.agency_id,
        origin=origin,
        detail={
            "personal_id": query.personal_id,
            "purpose": query.purpose,
            "dossier_code": query.dossier_code,
            "found": found,
        },
    )
    if not found:
        raise Problem(
            404, "citizen-not-found", "Không tìm thấy công dân", "Không có công dân với số định danh này."
        )
    body: dict[str, Any] = response.json()
    return body


async def audit_trail(
    session: AsyncSession,
    principal: Principal,
    *,
    agency_id: str | None,
    actor: str | None,
    target: str | None,
    after: int | None,
    limit: int,
) -> list[AuditView]:
    a = _actor(principal)
    if not (a.has(Role.AUDITOR) or a.has(Role.PROVINCIAL_OPERATOR)):
        if not a.has(Role.AGENCY_ADMIN):
            raise _forbidden("Chỉ quản trị, kiểm tra viên được xem nhật ký.")
        agency_id = principal.agency_id
    rows = await IdentityRepository(session).audit(
        agency_id=agency_id, actor=actor, target=target, after=after, limit=limit
    )
    return [AuditView.model_validate(r, from_attributes=True) for r in rows]
