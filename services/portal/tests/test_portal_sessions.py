"""The session store against the real PostgreSQL: a session opened for a form, messages shown once,
sign-in with a new id (no fixation), the end of a session, tokens never renewed while fresh."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from dvc_common.db import make_engine, unit_of_work
from dvc_devkit.identity import KeyRing
from dvc_portal.domain.sessions import TokenClock, session_key
from dvc_portal.schemas import TokenPair
from dvc_portal.service import sessions
from dvc_portal.service.context import Portal
from dvc_portal.settings import PortalSettings

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a call to identity here would fail the test


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def portal(portal_db_url: str) -> AsyncIterator[Portal]:
    settings = PortalSettings(identity_url=NOWHERE, workflow_url=NOWHERE, intake_url=NOWHERE)
    engine = make_engine(portal_db_url, pool_size=2)
    made = Portal.of(settings, unit_of_work(engine), KeyRing().verifier())
    made.clock = Clock()
    try:
        yield made
    finally:
        await made.close()
        await engine.dispose()


def _pair(ring: KeyRing, name: str = "Trần Thị Hoa") -> TokenPair:
    token = ring.token("one_stop_officer", sub="officer-7", name=name, lifetime=300)
    return TokenPair(access_token=token, refresh_token="r" * 43, expires_in=300, refresh_expires_in=8 * 3600)


async def test_a_form_session_is_found_by_its_cookie_and_only_by_it(portal: Portal) -> None:
    opened = await sessions.open_anonymous(portal)
    assert opened.new_id and opened.kind == "anonymous" and not opened.signed_in
    assert opened.key == session_key(opened.new_id) != opened.new_id  # the database keeps a hash
    found = await sessions.current(portal, opened.new_id)
    assert found is not None and found.csrf_token == opened.csrf_token and found.new_id is None
    assert await sessions.current(portal, opened.key) is None  # the hash is no cookie
    assert await sessions.current(portal, "guessed") is None


async def test_messages_are_shown_once(portal: Portal) -> None:
    opened = await sessions.open_anonymous(portal)
    assert opened.new_id
    await sessions.flash(portal, opened.key, "success", "Đã đổi mật khẩu.")
    shown = await sessions.current(portal, opened.new_id)
    assert shown is not None and shown.flashes == ({"kind": "success", "text": "Đã đổi mật khẩu."},)
    again = await sessions.current(portal, opened.new_id)
    assert again is not None and again.flashes == ()


async def test_signing_in_starts_a_new_session_and_ends_the_form_one(portal: Portal) -> None:
    ring = KeyRing()
    portal.verifier = ring.verifier()
    form = await sessions.open_anonymous(portal)
    signed = await sessions.sign_in(portal, form, _pair(ring))
    assert signed.new_id and signed.new_id != form.new_id and signed.csrf_token != form.csrf_token
    assert (signed.kind, signed.display_name, signed.roles) == (
        "officer",
        "Trần Thị Hoa",
        ("one_stop_officer",),
    )
    assert await sessions.current(portal, form.new_id) is None
    assert await sessions.current(portal, signed.new_id) is not None


async def test_a_fresh_token_is_used_as_it_is(portal: Portal) -> None:
    ring = KeyRing()
    portal.verifier = ring.verifier()
    pair = _pair(ring)
    signed = await sessions.sign_in(portal, None, pair)
    assert await sessions.access_token(portal, signed.key) == pair.access_token  # identity not called
    failed_elsewhere = "another token"
    assert await sessions.access_token(portal, signed.key, failed=failed_elsewhere) == pair.access_token


async def test_a_session_ends_when_idle_or_signed_out(portal: Portal) -> None:
    ring = KeyRing()
    portal.verifier = ring.verifier()
    clock = portal.clock
    assert isinstance(clock, Clock)
    signed = await sessions.sign_in(portal, None, _pair(ring))
    clock.now += timedelta(minutes=portal.settings.session_idle_minutes + 1)
    assert await sessions.current(portal, signed.new_id) is None
    with pytest.raises(sessions.SignedOut):
        await sessions.access_token(portal, signed.key)
    clock.now -= timedelta(minutes=portal.settings.session_idle_minutes + 1)
    other = await sessions.sign_in(portal, None, _pair(ring))
    await sessions.sign_out(portal, other.key)  # identity unreachable: the session ends here anyway
    assert await sessions.current(portal, other.new_id) is None


def test_the_token_clock_renews_before_expiry() -> None:
    issued = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    clock = TokenClock.issued(issued, 300, 8 * 3600)
    assert not clock.needs_refresh(issued + timedelta(seconds=269))
    assert clock.needs_refresh(issued + timedelta(seconds=270))  # 30 s before expiry
    assert clock.refreshable(issued + timedelta(hours=7, minutes=59))
    assert not clock.refreshable(issued + timedelta(hours=8))
    assert TokenClock.issued(issued, 30, 60).needs_refresh(issued)  # lifetime within the margin
