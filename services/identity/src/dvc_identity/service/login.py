"""Officer sign-in with a password: throttle and lockout, the first-login password change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.domain import accounts, passwords
from dvc_identity.models import Officer
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import TokenPair
from dvc_identity.service.audit import record, record_on_officer
from dvc_identity.service.context import Identity, Origin, now_utc
from dvc_identity.service.officers import is_locked
from dvc_identity.service.tokens import issue_tokens, officer_claims


async def _check_password(
    session: AsyncSession, ctx: Identity, username: str, password: str, origin: Origin
) -> Officer | Problem:
    """The officer when the password is right and the account may log in; otherwise the refusal."""
    address = origin.address or "unknown"
    wait = await ctx.throttle.retry_after(address)
    if wait is not None:
        return errors.too_many_attempts(wait)
    officer = await IdentityRepository(session).officer_by_username(username, for_update=True)
    if officer is None:
        await ctx.passwords.verify(None, password)  # costs what a real check costs
        await ctx.throttle.failed(address)
        detail = {"username": username[:64], "reason": "unknown_username"}
        await record(session, "login.failed", actor=None, actor_kind=None, origin=origin, detail=detail)
        return errors.bad_credentials()
    now = now_utc()
    state = accounts.LoginState(officer.failed_logins, officer.locked_until, officer.locked_at)
    if accounts.temporarily_locked(state, now):
        # Answered like a wrong password or an unknown username, at the same cost: a 423 here
        # would tell whoever guesses that the account exists.
        await ctx.passwords.verify(None, password)
        await ctx.throttle.failed(address)
        await _own(session, "login.refused_locked", officer, origin, {"temporarily_locked": True})
        return errors.bad_credentials()
    if not await ctx.passwords.verify(officer.password_hash, password):
        await ctx.throttle.failed(address)
        return await _wrong_password(session, ctx, officer, state, now, origin)
    if is_locked(officer):
        # Only someone who knows the password learns of an administrative lock.
        await _own(session, "login.refused_locked", officer, origin)
        return errors.locked()
    officer.failed_logins = 0
    officer.locked_until = None
    return officer


async def _wrong_password(
    session: AsyncSession,
    ctx: Identity,
    officer: Officer,
    state: accounts.LoginState,
    now: datetime,
    origin: Origin,
) -> Problem:
    after = accounts.after_failure(
        state,
        now,
        limit=ctx.settings.max_failed_logins,
        lock_for=timedelta(minutes=ctx.settings.failed_login_lock_minutes),
    )
    officer.failed_logins = after.failed_logins
    officer.locked_until = after.locked_until
    locked_now = accounts.temporarily_locked(after, now)
    detail = {"reason": "wrong_password", "temporarily_locked": locked_now}
    await _own(session, "login.failed", officer, origin, detail)
    return errors.bad_credentials()


async def _own(
    session: AsyncSession, action: str, officer: Officer, origin: Origin, detail: dict[str, Any] | None = None
) -> None:
    """Audit what the officer did with their own account."""
    await record_on_officer(session, action, officer, origin, actor=str(officer.id), detail=detail)


async def login(
    session: AsyncSession, ctx: Identity, username: str, password: str, origin: Origin
) -> TokenPair | Problem:
    outcome = await _check_password(session, ctx, username, password, origin)
    if isinstance(outcome, Problem):
        return outcome
    officer = outcome
    if officer.must_change_password:
        await _own(session, "login.password_change_required", officer, origin)
        return errors.password_change_required()
    if ctx.passwords.needs_rehash(officer.password_hash):
        officer.password_hash = await ctx.passwords.hash(password)
    return await officer_signed_in(session, ctx, officer, "login.succeeded", origin)


async def officer_signed_in(
    session: AsyncSession, ctx: Identity, officer: Officer, action: str, origin: Origin
) -> TokenPair:
    """Audit the officer's own action, then issue their tokens."""
    await _own(session, action, officer, origin)
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
