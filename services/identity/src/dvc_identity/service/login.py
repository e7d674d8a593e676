"""Officer sign-in with a password: throttle and lockout, the first-login password change."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.domain import accounts, passwords
from dvc_identity.models import Officer
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import TokenPair
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin, now_utc
from dvc_identity.service.officers import is_locked
from dvc_identity.service.tokens import issue_tokens, officer_claims


async def _check_password(
    session: AsyncSession, ctx: Identity, username: str, password: str, origin: Origin
) -> Officer | Problem:
    """The officer when the password is right and the account may log in; otherwise the refusal."""
    address = origin.address or "unknown"
    wait = ctx.throttle.retry_after(address)
    if wait is not None:
        return errors.too_many_attempts(wait)
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
        return errors.locked(officer.locked_until)
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
        return errors.bad_credentials()
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
        return errors.locked(after.locked_until) if locked_now else errors.bad_credentials()
    if is_locked(officer):
        await record(
            session,
            "login.refused_locked",
            actor=str(officer.id),
            actor_kind="officer",
            target=str(officer.id),
            agency_id=officer.agency_id,
            origin=origin,
        )
        return errors.locked()
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
        return errors.password_change_required()
    if ctx.passwords.needs_rehash(officer.password_hash):
        officer.password_hash = await ctx.passwords.hash(password)
    return await officer_signed_in(session, ctx, officer, "login.succeeded", origin)


async def officer_signed_in(
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
        return errors.weak_password(problems)
    now = now_utc()
    officer.password_hash = await ctx.passwords.hash(new)
    officer.must_change_password = False
    officer.password_changed_at = now
    officer.updated_at = now
    officer.tokens_valid_after = now
    await IdentityRepository(session).revoke_subject_tokens(str(officer.id), now)
    return await officer_signed_in(session, ctx, officer, "officer.password_changed", origin)
