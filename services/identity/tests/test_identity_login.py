"""Officer login against guessing: failures in a row lock the account for a while, a client address
that keeps failing is throttled whatever account it tries, and neither reveals which usernames exist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from identity_support import STRONG, XD, Env, admins, bearer, problem_type

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _attempt(client_address: str, env: Env, username: str, password: str) -> tuple[int, str]:
    async with env.other_client(client_address) as client:
        response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    return response.status_code, problem_type(response) if response.status_code != 200 else "ok"


async def test_a_success_resets_the_count_of_failures(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "dem")
    await env.officer(xd_admin, "xd.go.nham", XD, ["processing_officer"])
    address = "198.51.100.31"
    for attempt in range(4):
        assert await _attempt(address, env, "xd.go.nham", f"sai-{attempt}") == (401, "invalid-credentials")
    assert await _attempt(address, env, "xd.go.nham", STRONG) == (200, "ok")
    for attempt in range(4):
        assert await _attempt(address, env, "xd.go.nham", f"lai-sai-{attempt}") == (
            401,
            "invalid-credentials",
        )
    assert await _attempt(address, env, "xd.go.nham", STRONG) == (200, "ok")


async def test_five_failures_lock_the_account_for_fifteen_minutes(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "tam.khoa")
    officer_id, _ = await env.officer(xd_admin, "xd.bi.do", XD, ["processing_officer"])
    before = datetime.now(UTC)
    async with env.other_client("198.51.100.32") as attacker:
        for attempt in range(4):
            await attacker.post(
                "/api/v1/auth/login", json={"username": "xd.bi.do", "password": f"sai-{attempt}"}
            )
        fifth = await attacker.post("/api/v1/auth/login", json={"username": "xd.bi.do", "password": "sai-4"})
        nobody = await attacker.post(
            "/api/v1/auth/login", json={"username": "xd.khong.ai", "password": "sai-4"}
        )
    # The lock is no existence oracle: the answer is the one an unknown username gets (issue 16).
    assert fifth.status_code == nobody.status_code == 401 and fifth.json() == nobody.json()
    assert "tạm khóa" in fifth.json()["detail"]  # the holder is told it may be a temporary lock
    shown = (await env.client.get(f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin))).json()
    until = datetime.fromisoformat(shown["temporarily_locked_until"])
    assert before + timedelta(minutes=15) <= until <= datetime.now(UTC) + timedelta(minutes=15)
    # From anywhere, with the right password too, until the lock runs out.
    assert await _attempt("198.51.100.33", env, "xd.bi.do", STRONG) == (401, "invalid-credentials")
    trail = await env.audit(operator, target=officer_id)
    failures = [r for r in trail if r["action"] == "login.failed"]
    assert len(failures) == 5 and failures[-1]["detail"] == {
        "reason": "wrong_password",
        "temporarily_locked": True,
    }
    assert failures[0]["source_address"] == "198.51.100.32"
    assert trail[-1]["action"] == "login.refused_locked" and trail[-1]["source_address"] == "198.51.100.33"
    # Fifteen minutes later (the lock's end moved into the past) the officer gets in again.
    await env.sql(
        "UPDATE identity_officer SET locked_until = now() - interval '1 second' WHERE username = 'xd.bi.do'"
    )
    assert await _attempt("198.51.100.33", env, "xd.bi.do", STRONG) == (200, "ok")


async def test_an_unknown_username_is_refused_like_a_wrong_password(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "an.danh")
    await env.officer(xd_admin, "xd.co.that", XD, ["processing_officer"])
    async with env.other_client("198.51.100.34") as client:
        wrong = await client.post(
            "/api/v1/auth/login", json={"username": "xd.co.that", "password": "Sai-2026-abc!"}
        )
        unknown = await client.post(
            "/api/v1/auth/login", json={"username": "xd.khong.co.that", "password": "Sai-2026-abc!"}
        )
    assert wrong.status_code == unknown.status_code == 401
    assert {k: v for k, v in wrong.json().items()} == {k: v for k, v in unknown.json().items()}
    assert unknown.json()["detail"].startswith("Tên đăng nhập hoặc mật khẩu không đúng.")
    failed = [r for r in await env.audit(operator) if r["action"] == "login.failed" and r["actor"] is None]
    assert {"username": "xd.khong.co.that", "reason": "unknown_username"} in [r["detail"] for r in failed]


async def test_a_throttled_address_waits_while_others_log_in(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "han.che")
    await env.officer(xd_admin, "xd.ngay.thuong", XD, ["processing_officer"])
    guesser = "198.51.100.35"
    statuses = [(await _attempt(guesser, env, f"doan.ten.{i}", "x"))[0] for i in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429
    async with env.other_client(guesser) as client:
        throttled = await client.post(
            "/api/v1/auth/login", json={"username": "xd.ngay.thuong", "password": STRONG}
        )
        password = await client.post(
            "/api/v1/auth/password",
            json={"username": "xd.ngay.thuong", "current_password": STRONG, "new_password": "Khac-2026-abc!"},
        )
    assert throttled.status_code == 429 and problem_type(throttled) == "too-many-attempts"
    assert 0 < int(throttled.headers["Retry-After"]) <= 300
    assert throttled.headers["Retry-After"] in throttled.json()["detail"]
    assert password.status_code == 429  # changing the password is a login too
    # Another address is not held up, and the account itself was never locked.
    assert await _attempt("198.51.100.36", env, "xd.ngay.thuong", STRONG) == (200, "ok")
    tokens = (await env.login("xd.ngay.thuong")).json()
    me = await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    assert me.json()["temporarily_locked_until"] is None


async def test_a_client_cannot_dodge_the_throttle_with_a_forwarded_for_header(env: Env) -> None:
    """Identity is reached directly here (no trusted proxy): X-Forwarded-For is the client's own word."""
    operator = await env.operator("vp.xff")
    async with env.other_client("198.51.100.37") as client:
        for i in range(20):
            await client.post(
                "/api/v1/auth/login",
                json={"username": f"gia.mao.{i}", "password": "x"},
                headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
            )
        last = await client.post(
            "/api/v1/auth/login",
            json={"username": "gia.mao.cuoi", "password": "x"},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
    assert last.status_code == 429
    failed = [r for r in await env.audit(operator) if r["detail"].get("username", "").startswith("gia.mao.")]
    assert len(failed) == 20 and {r["source_address"] for r in failed} == {"198.51.100.37"}


async def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "proxy")
    officer_id, _ = await env.officer(xd_admin, "xd.sau.proxy", XD, ["processing_officer"])
    async with env.replica(peer="10.1.2.3", trusted_proxies=["10.0.0.0/8"]) as behind_proxy:

        async def attempt(forwarded_for: str, username: str, password: str) -> int:
            response = await behind_proxy.post(
                "/api/v1/auth/login",
                json={"username": username, "password": password},
                headers={"X-Forwarded-For": forwarded_for},
            )
            status: int = response.status_code
            return status

        for i in range(20):
            await attempt("198.51.100.40", f"doan.qua.proxy.{i}", "x")
        assert await attempt("198.51.100.40", "xd.sau.proxy", STRONG) == 429
        # Another citizen's office behind the same proxy is not held up; a leftmost entry the
        # client wrote itself is not believed (the proxy appended the real address).
        assert await attempt("192.0.2.200, 198.51.100.41", "xd.sau.proxy", STRONG) == 200
    signed_in = [r for r in await env.audit(xd_admin, target=officer_id) if r["action"] == "login.succeeded"]
    assert signed_in[-1]["source_address"] == "198.51.100.41"
