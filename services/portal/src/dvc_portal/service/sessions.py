"""Server-side sessions: opened for a form (its CSRF token), signed in with identity's tokens (kept
here, never in the browser), refreshed transparently, ended with identity's logout."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from dvc_common.principal import Principal
from dvc_portal import errors
from dvc_portal.domain import csrf
from dvc_portal.domain.sessions import TokenClock, idle_expiry, new_session_id, session_key
from dvc_portal.models import PortalSession
from dvc_portal.repository import SessionRepository
from dvc_portal.schemas import TokenPair
from dvc_portal.service.context import Portal

T = TypeVar("T")


class SignedOut(Exception):
    """The session has ended (expired, signed out, or identity refused to renew its tokens)."""


@dataclass(frozen=True)
class Visitor:
    """A browser's session as pages see it: who, the form token, messages to show once; no tokens."""

    key: str
    kind: str
    csrf_token: str
    subject: str | None = None
    display_name: str | None = None
    roles: tuple[str, ...] = ()
    agency_id: str | None = None
    flashes: tuple[dict[str, str], ...] = ()
    new_id: str | None = field(default=None, compare=False)  # set: the cookie must be (re)sent

    @property
    def signed_in(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_officer(self) -> bool:
        return self.kind == "officer"


def _visitor(
    row: PortalSession, new_id: str | None = None, flashes: list[dict[str, str]] | None = None
) -> Visitor:
    data = row.data or {}
    return Visitor(
        key=row.key,
        kind=row.kind,
        csrf_token=row.csrf_token,
        subject=row.subject,
        display_name=row.display_name,
        roles=tuple(data.get("roles", ())),
        agency_id=data.get("agency_id"),
        flashes=tuple(flashes or ()),
        new_id=new_id,
    )


async def current(portal: Portal, session_id: str | None) -> Visitor | None:
    """The live session the cookie names, with its messages taken (shown once); None otherwise."""
    if not session_id:
        return None
    now = portal.clock()
    async with portal.transaction() as db:
        row = await SessionRepository(db).live(session_key(session_id), now)
        if row is None:
            return None
        flashes = list((row.data or {}).get("flash", []))
        if flashes:
            row.data = {k: v for k, v in row.data.items() if k != "flash"}
        _extend(portal, row, now)
        return _visitor(row, flashes=flashes)


def _extend(portal: Portal, row: PortalSession, now: datetime) -> None:
    """Push the idle end back (at most once a minute: not a write per page)."""
    if row.kind == "anonymous" or row.refresh_expires_at is None:
        return
    wanted = idle_expiry(now, timedelta(minutes=portal.settings.session_idle_minutes), row.refresh_expires_at)
    if wanted - row.expires_at > timedelta(minutes=1):
        row.expires_at = wanted


async def open_anonymous(portal: Portal) -> Visitor:
    """A session for a visitor who is shown a form (the sign-in page): it holds the form's token."""
    now = portal.clock()
    session_id = new_session_id()
    row = PortalSession(
        key=session_key(session_id),
        kind="anonymous",
        csrf_token=csrf.new_token(),
        data={},
        created_at=now,
        expires_at=now + timedelta(minutes=portal.settings.anonymous_session_minutes),
    )
    async with portal.transaction() as db:
        SessionRepository(db).add(row)
    return _visitor(row, new_id=session_id)


async def sign_in(portal: Portal, previous: Visitor | None, pair: TokenPair) -> Visitor:
    """A new session (new id and form token: no fixation) for the person the tokens name."""
    principal = await portal.verifier.verify(pair.access_token)
    now = portal.clock()
    clock = TokenClock.issued(now, pair.expires_in, pair.refresh_expires_in)
    session_id = new_session_id()
    row = PortalSession(
        key=session_key(session_id),
        kind=principal.kind,
        csrf_token=csrf.new_token(),
        subject=principal.subject,
        display_name=principal.name,
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        access_expires_at=clock.access_expires_at,
        refresh_expires_at=clock.refresh_expires_at,
        data=_principal_data(principal),
        created_at=now,
        expires_at=idle_expiry(
            now, timedelta(minutes=portal.settings.session_idle_minutes), clock.refresh_expires_at
        ),
    )
    async with portal.transaction() as db:
        repo = SessionRepository(db)
        if previous is not None:
            await repo.remove(previous.key)
        repo.add(row)
    return _visitor(row, new_id=session_id)


def _principal_data(principal: Principal) -> dict[str, Any]:
    return {"roles": sorted(principal.roles), "agency_id": principal.agency_id}


async def access_token(portal: Portal, key: str, *, failed: str | None = None) -> str:
    """A usable access token of the session: renewed with the refresh token when it is about to
    expire (or `failed`, the one a service just refused). The row is locked while renewing, so two
    pages loading at once never spend the single-use refresh token twice."""
    now = portal.clock()
    ended = False
    async with portal.transaction() as db:
        repo = SessionRepository(db)
        row = await repo.live(key, now, for_update=True)
        if row is None or not row.access_token or not row.refresh_token:
            raise SignedOut
        if not _must_renew(row, now, failed):
            return row.access_token
        try:
            pair = TokenPair.model_validate(
                await portal.identity.json(
                    "POST", "/api/v1/auth/refresh", json_body={"refresh_token": row.refresh_token}
                )
            )
        except errors.Refused as refused:
            if refused.status not in (400, 401, 403, 422):
                raise
            await repo.remove(key)
            ended = True
        else:
            _store(row, pair, now)
            return pair.access_token
    assert ended
    raise SignedOut


def _must_renew(row: PortalSession, now: datetime, failed: str | None) -> bool:
    if failed is not None:
        return row.access_token == failed  # another page may have renewed it already
    assert row.access_expires_at is not None and row.refresh_expires_at is not None
    return TokenClock(row.access_expires_at, row.refresh_expires_at).needs_refresh(now)


def _store(row: PortalSession, pair: TokenPair, now: datetime) -> None:
    clock = TokenClock.issued(now, pair.expires_in, pair.refresh_expires_in)
    row.access_token = pair.access_token
    row.refresh_token = pair.refresh_token
    row.access_expires_at = clock.access_expires_at
    row.refresh_expires_at = clock.refresh_expires_at


async def call(portal: Portal, key: str, request: Callable[[str], Awaitable[T]]) -> T:
    """Call a service with the session's token; once more with a renewed one if it answers 401."""
    token = await access_token(portal, key)
    try:
        return await request(token)
    except errors.Refused as refused:
        if refused.status != 401:
            raise
    return await request(await access_token(portal, key, failed=token))


async def sign_out(portal: Portal, key: str) -> None:
    """End the session here and at identity (its refresh token family is revoked)."""
    async with portal.transaction() as db:
        repo = SessionRepository(db)
        row = await repo.live(key, portal.clock())
        refresh = row.refresh_token if row else None
        await repo.remove(key)
    if refresh:
        # The session is gone here; an identity session that had already ended is what we want.
        with contextlib.suppress(errors.Refused, errors.PageError):
            await portal.identity.request("POST", "/api/v1/auth/logout", json_body={"refresh_token": refresh})


async def flash(portal: Portal, key: str, kind: str, text: str) -> None:
    """A message shown once, on the next page of this session (after a redirect)."""
    async with portal.transaction() as db:
        row = await SessionRepository(db).live(key, portal.clock(), for_update=True)
        if row is not None:
            data = dict(row.data or {})
            data["flash"] = [*data.get("flash", []), {"kind": kind, "text": text}]
            row.data = data


async def remember(portal: Portal, key: str, name: str, value: Any) -> None:
    """Keep a value in the session (the VNeID login's state, for example)."""
    async with portal.transaction() as db:
        row = await SessionRepository(db).live(key, portal.clock(), for_update=True)
        if row is not None:
            row.data = {**(row.data or {}), name: value}


async def take(portal: Portal, key: str, name: str) -> Any:
    """A value kept in the session, removed as it is read (one use)."""
    async with portal.transaction() as db:
        row = await SessionRepository(db).live(key, portal.clock(), for_update=True)
        if row is None:
            return None
        data = dict(row.data or {})
        value = data.pop(name, None)
        row.data = data
        return value
