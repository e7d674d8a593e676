"""The issue's security tests, against identity in-process with real PostgreSQL and RabbitMQ.

Identity runs in-process against a real PostgreSQL database and RabbitMQ vhost (per run), with the
sandbox's VNeID and population-database simulators in-process behind its HTTP client.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from identity_support import STRONG, TP, XD, Env, admins, authorize, bearer, citizen_login, token_claims

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_first_login_forces_a_password_change_and_policy_applies(env: Env) -> None:
    _, temporary = await env.bootstrap_operator("vp.lan.dau")
    refused = await env.client.post(
        "/api/v1/auth/login", json={"username": "vp.lan.dau", "password": temporary}
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("password-change-required")
    weak = await env.client.post(
        "/api/v1/auth/password",
        json={"username": "vp.lan.dau", "current_password": temporary, "new_password": "matkhau123"},
    )
    assert weak.status_code == 422 and "ít nhất" in weak.json()["detail"]
    tokens = await env.activate("vp.lan.dau", temporary)
    me = await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200 and me.json()["must_change_password"] is False
    ok = await env.client.post("/api/v1/auth/login", json={"username": "vp.lan.dau", "password": STRONG})
    assert ok.status_code == 200


async def test_tampered_expired_wrong_issuer_and_wrong_audience_tokens_are_refused(env: Env) -> None:
    operator, _, _ = await admins(env, "tok")
    me = await env.client.get("/api/v1/officers/me", headers=bearer(operator))
    assert me.status_code == 200
    header, payload, signature = operator.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = [*claims["roles"], "auditor"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    keys = env.app.state.identity.keys
    subject = me.json()["id"]
    bad = {
        "tampered": f"{header}.{forged}.{signature}",
        "expired": await keys.sign(
            token_claims(sub=subject, iat=int(time.time()) - 900, exp=int(time.time()) - 600)
        ),
        "wrong issuer": await keys.sign(token_claims(sub=subject, iss="https://gia-mao.example")),
        "wrong audience": await keys.sign(token_claims(sub=subject, aud="other")),
        "garbage": "not-a-token",
    }
    for what, token in bad.items():
        response = await env.client.get("/api/v1/officers/me", headers=bearer(token))
        assert response.status_code == 401, what


async def test_an_agency_admin_cannot_create_see_or_lock_accounts_of_another_agency(env: Env) -> None:
    _, xd_admin, tp_admin = await admins(env, "scope")
    tp_officer, _ = await env.officer(tp_admin, "tp.chuyenvien.scope", TP, ["processing_officer"])
    create = await env.client.post(
        "/api/v1/officers",
        headers=bearer(xd_admin),
        json={
            "username": "xd.chen.ngang",
            "agency_id": TP,
            "full_name": "Chen Ngang",
            "position": "Chuyên viên",
            "roles": ["processing_officer"],
            "email": "chen.ngang@laichau.gov.vn",
        },
    )
    assert create.status_code == 403
    assert (
        await env.client.get(f"/api/v1/officers/{tp_officer}", headers=bearer(xd_admin))
    ).status_code == 404
    listing = await env.client.get("/api/v1/officers", params={"agency_id": TP}, headers=bearer(xd_admin))
    assert listing.status_code == 403
    own = await env.client.get("/api/v1/officers", headers=bearer(xd_admin))
    assert own.status_code == 200 and {o["agency_id"] for o in own.json()} == {XD}
    lock = await env.client.post(f"/api/v1/officers/{tp_officer}/lock", json={}, headers=bearer(xd_admin))
    assert lock.status_code == 404
    provincial = await env.client.post(
        "/api/v1/officers",
        headers=bearer(xd_admin),
        json={
            "username": "xd.tu.phong",
            "agency_id": XD,
            "full_name": "Tự Phong",
            "position": "Chuyên viên",
            "roles": ["auditor"],
            "email": "tu.phong@laichau.gov.vn",
        },
    )
    assert provincial.status_code == 403


async def test_an_officer_cannot_give_themselves_a_role(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "self")
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(xd_admin))).json()
    response = await env.client.patch(
        f"/api/v1/officers/{me['id']}",
        headers=bearer(xd_admin),
        json={"roles": ["agency_admin", "agency_leader"]},
    )
    assert response.status_code == 403
    officer_id, tokens = await env.officer(xd_admin, "xd.motcua.self", XD, ["one_stop_officer"])
    own = await env.client.patch(
        f"/api/v1/officers/{officer_id}",
        headers=bearer(tokens["access_token"]),
        json={"roles": ["agency_admin"]},
    )
    assert own.status_code == 403
    after = (await env.client.get(f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin))).json()
    assert after["roles"] == ["one_stop_officer"]


async def test_a_locked_officer_loses_access_at_once_and_cannot_log_in_or_refresh(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "lock")
    officer_id, tokens = await env.officer(xd_admin, "xd.bikhoa", XD, ["processing_officer"])
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 200
    locked = await env.client.post(
        f"/api/v1/officers/{officer_id}/lock", json={"reason": "moved"}, headers=bearer(xd_admin)
    )
    assert locked.status_code == 200 and locked.json()["locked"] is True
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 401
    login = await env.client.post("/api/v1/auth/login", json={"username": "xd.bikhoa", "password": STRONG})
    assert login.status_code == 423
    refresh = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code in (401, 423)
    unlocked = await env.client.post(f"/api/v1/officers/{officer_id}/unlock", headers=bearer(xd_admin))
    assert unlocked.status_code == 200
    again = await env.client.post("/api/v1/auth/login", json={"username": "xd.bikhoa", "password": STRONG})
    assert again.status_code == 200


async def test_a_moved_officer_gets_new_claims_only_after_logging_in_again(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "move")
    officer_id, tokens = await env.officer(xd_admin, "xd.chuyen", XD, ["one_stop_officer"])
    changed = await env.client.patch(
        f"/api/v1/officers/{officer_id}",
        headers=bearer(xd_admin),
        json={"position": "Trưởng phòng Quản lý xây dựng", "roles": ["department_head"]},
    )
    assert changed.status_code == 200
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 401
    relogin = await env.client.post("/api/v1/auth/login", json={"username": "xd.chuyen", "password": STRONG})
    claims = json.loads(base64.urlsafe_b64decode(relogin.json()["access_token"].split(".")[1] + "=="))
    assert claims["roles"] == ["department_head"] and claims["position"] == "Trưởng phòng Quản lý xây dựng"


async def test_refresh_tokens_rotate_and_a_reused_one_ends_the_session(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "refresh")
    _, tokens = await env.officer(xd_admin, "xd.lammoi", XD, ["processing_officer"])
    first = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200
    replay = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert replay.status_code == 401
    successor = await env.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first.json()["refresh_token"]}
    )
    assert successor.status_code == 401  # the whole family was revoked


async def test_brute_force_is_throttled_per_account_and_per_address(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "brute")
    await env.officer(xd_admin, "xd.doan", XD, ["processing_officer"])
    async with env.other_client("198.51.100.7") as attacker:
        statuses = [
            (
                await attacker.post(
                    "/api/v1/auth/login", json={"username": "xd.doan", "password": f"sai-{i}"}
                )
            ).status_code
            for i in range(6)
        ]
        # Locked after five, but told like any wrong password (no existence oracle).
        assert statuses == [401] * 6
        right = await attacker.post("/api/v1/auth/login", json={"username": "xd.doan", "password": STRONG})
        assert right.status_code == 401  # even the right password waits out the lock
        for i in range(20):
            last = await attacker.post(
                "/api/v1/auth/login", json={"username": f"khong.co.{i}", "password": "x"}
            )
        assert last.status_code == 429 and int(last.headers["Retry-After"]) > 0


async def test_a_citizen_token_cannot_call_officer_endpoints(env: Env) -> None:
    tokens = await citizen_login(env, "012345678902")
    access = tokens["access_token"]
    me = await env.client.get("/api/v1/citizen/me", headers=bearer(access))
    assert me.status_code == 200 and me.json()["identifier"] == "012345678902"
    assert me.json()["full_name"] == "Trần Thị Bình"
    for method, path in [
        ("GET", "/api/v1/officers"),
        ("GET", "/api/v1/officers/me"),
        ("GET", "/api/v1/audit"),
        ("POST", "/api/v1/admin/signing-keys/rotate"),
    ]:
        response = await env.client.request(method, path, headers=bearer(access))
        assert response.status_code == 403, path


async def test_oidc_rejects_replayed_or_unknown_state_and_a_mismatched_nonce(env: Env) -> None:
    start = await env.client.get("/api/v1/citizen/login")
    back = await authorize(env, start.headers["location"], "012345678901")
    query = urlsplit(back.headers["location"]).query
    assert (await env.client.get("/api/v1/citizen/callback?" + query)).status_code == 200
    replay = await env.client.get("/api/v1/citizen/callback?" + query)
    assert replay.status_code == 400
    code = parse_qs(query)["code"][0]
    unknown = await env.client.get(
        "/api/v1/citizen/callback", params={"code": code, "state": "khong-phai-state"}
    )
    assert unknown.status_code == 400
    start = await env.client.get("/api/v1/citizen/login")
    back = await authorize(env, start.headers["location"], "012345678901", nonce="nonce-gia-mao")
    mismatched = await env.client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert mismatched.status_code == 400
    assert mismatched.json()["type"].endswith("vneid-login-rejected")


async def test_organisation_login(env: Env) -> None:
    tokens = await citizen_login(env, "6200012345")
    claims = json.loads(base64.urlsafe_b64decode(tokens["access_token"].split(".")[1] + "=="))
    assert claims["kind"] == "organisation" and claims["name"] == "Công ty TNHH Xây dựng Tây Bắc"


async def test_population_lookup_needs_a_grant_a_purpose_and_is_logged(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "pop")
    officer_id, tokens = await env.officer(xd_admin, "xd.tracuu", XD, ["one_stop_officer"])
    query = {
        "personal_id": "012345678901",
        "purpose": "Xác minh nhân thân người nộp hồ sơ cấp phép xây dựng",
        "dossier_code": "000.00.14.H56-260223-0001",
    }
    access = bearer(tokens["access_token"])
    assert (
        await env.client.post("/api/v1/population/lookups", json=query, headers=access)
    ).status_code == 403
    by_admin = await env.client.put(
        f"/api/v1/officers/{officer_id}/population-access",
        json={"commitment_signed_on": "2026-01-05"},
        headers=bearer(xd_admin),
    )
    assert by_admin.status_code == 403  # Sở KH&CN (provincial level) grants, not the agency
    granted = await env.client.put(
        f"/api/v1/officers/{officer_id}/population-access",
        json={"commitment_signed_on": "2026-01-05"},
        headers=bearer(operator),
    )
    assert granted.status_code == 200 and granted.json()["population_access"] is True
    no_purpose = await env.client.post(
        "/api/v1/population/lookups",
        json={"personal_id": "012345678901", "dossier_code": "x"},
        headers=access,
    )
    assert no_purpose.status_code == 422
    found = await env.client.post("/api/v1/population/lookups", json=query, headers=access)
    assert found.status_code == 200 and found.json()["full_name"] == "Nguyễn Văn An"
    trail = await env.client.get("/api/v1/audit", params={"actor": officer_id}, headers=bearer(operator))
    lookups = [r for r in trail.json() if r["action"] == "population.lookup"]
    assert lookups and lookups[-1]["detail"]["purpose"] == query["purpose"]
    assert lookups[-1]["detail"]["dossier_code"] == query["dossier_code"]
    # A change of position revokes the permission (Điện Biên Điều 10.3).
    await env.client.patch(
        f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin), json={"position": "Chuyên viên"}
    )
    relogin = await env.client.post("/api/v1/auth/login", json={"username": "xd.tracuu", "password": STRONG})
    again = await env.client.post(
        "/api/v1/population/lookups", json=query, headers=bearer(relogin.json()["access_token"])
    )
    assert again.status_code == 403


async def test_key_rotation_keeps_issued_tokens_valid_and_publishes_both_keys(env: Env) -> None:
    operator, _, _ = await admins(env, "rotate")
    before = (await env.client.get("/.well-known/jwks.json")).json()["keys"]
    rotated = await env.client.post("/api/v1/admin/signing-keys/rotate", headers=bearer(operator))
    assert rotated.status_code == 200
    after = (await env.client.get("/.well-known/jwks.json")).json()["keys"]
    assert {k["kid"] for k in before} < {k["kid"] for k in after}
    assert (await env.client.get("/api/v1/officers/me", headers=bearer(operator))).status_code == 200
    fresh = await env.client.post(
        "/api/v1/auth/login", json={"username": "vp.quantri.rotate", "password": STRONG}
    )
    assert (
        json.loads(base64.urlsafe_b64decode(fresh.json()["access_token"].split(".")[0] + "=="))["kid"]
        == rotated.json()["kid"]
    )


async def test_every_account_action_is_audited_in_an_intact_chain(env: Env) -> None:
    operator, _, _ = await admins(env, "audit")
    trail = await env.client.get("/api/v1/audit", params={"limit": 500}, headers=bearer(operator))
    actions = {r["action"] for r in trail.json()}
    assert {"officer.created", "officer.password_changed", "login.failed"} <= actions or {
        "officer.created",
        "officer.password_changed",
    } <= actions
    assert all(r["source_address"] for r in trail.json() if r["action"] == "officer.created" and r["actor"])
    verified = await env.client.get("/api/v1/audit/verify", headers=bearer(operator))
    assert verified.json()["intact"] is True and verified.json()["records"] > 0


async def test_no_password_or_token_appears_in_logs(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _, temporary = await env.bootstrap_operator("vp.nhatky")
    tokens = await env.activate("vp.nhatky", temporary)
    await env.client.post(
        "/api/v1/auth/login", json={"username": "vp.nhatky", "password": "Sai-mat-khau-123!"}
    )
    refreshed = (
        await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).json()
    citizen = await citizen_login(env, "011200004567")
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    secrets = [
        temporary,
        STRONG,
        "Sai-mat-khau-123!",
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed["access_token"],
        refreshed["refresh_token"],
        citizen["access_token"],
        citizen["refresh_token"],
    ]
    for secret in secrets:
        assert secret not in logged
