"""Officer accounts as administrators and officers see them: creation, listing, roles, lock and
unlock, password reset and the first-login password change; the events other services act on."""

from __future__ import annotations

from typing import Any

import pytest
from identity_support import CLIENT_ADDRESS, STRONG, TP, XD, Env, admins, bearer, problem_type

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _officer(username: str, agency: str = XD, **extra: Any) -> dict[str, Any]:
    return {
        "username": username,
        "agency_id": agency,
        "full_name": "Nguyễn Thị Hoa",
        "position": "Công chức Bộ phận Một cửa",
        "roles": ["one_stop_officer"],
        "email": f"{username}@laichau.gov.vn",
    } | extra


async def test_an_agency_admin_opens_an_account_with_a_temporary_password(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "create")
    admin_id = (await env.client.get("/api/v1/officers/me", headers=bearer(xd_admin))).json()["id"]
    response = await env.client.post(
        "/api/v1/officers",
        headers=bearer(xd_admin),
        json=_officer("xd.hoa.create", email="hoa@laichau.gov.vn", phone="0912345678"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    officer = body["officer"]
    assert officer | {"id": None} == {
        "id": None,
        "username": "xd.hoa.create",
        "agency_id": XD,
        "full_name": "Nguyễn Thị Hoa",
        "position": "Công chức Bộ phận Một cửa",
        "department": None,
        "department_name": None,
        "roles": ["one_stop_officer"],
        "email": "hoa@laichau.gov.vn",
        "phone": "0912345678",
        "must_change_password": True,
        "locked": False,
        "lock_reason": None,
        "temporarily_locked_until": None,
        "population_access": False,
    }
    # The administrator never sees the temporary password: it goes to the holder's own e-mail.
    assert "temporary_password" not in body and body["credentials_sent_to"] == "h***@laichau.gov.vn"
    temporary = await env.temporary_password(officer["id"])
    assert len(temporary) >= 12 and "xd.hoa.create" not in temporary and temporary not in str(body)
    # Workflow, intake and the others learn of the account from this event; notify mails the other.
    events = await env.events(officer["id"])
    assert [key for key, _ in events] == ["officer.upserted.v1", "officer.credentials_issued.v1"]
    assert events[0][1]["email"] == "hoa@laichau.gov.vn" and "temporary_password" not in events[0][1]
    assert events[1][1] | {"issued_at": None, "officer_id": None} == {
        "officer_id": None,
        "agency_id": XD,
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@laichau.gov.vn",
        "temporary_password": temporary,
        "reason": "created",
        "issued_at": None,
    }
    assert events[0][1]["agency_id"] == XD and events[0][1]["active"] is True
    assert events[0][1]["roles"] == ["one_stop_officer"] and events[0][1]["name"] == "Nguyễn Thị Hoa"
    created = [r for r in await env.audit(xd_admin, target=officer["id"]) if r["action"] == "officer.created"]
    assert len(created) == 1
    assert created[0]["actor"] == admin_id and created[0]["source_address"] == CLIENT_ADDRESS
    assert created[0]["detail"]["roles"] == ["one_stop_officer"] and created[0]["agency_id"] == XD


async def test_an_account_request_with_wrong_details_is_refused(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "invalid")
    first = await env.client.post("/api/v1/officers", headers=bearer(xd_admin), json=_officer("xd.trung.ten"))
    assert first.status_code == 201
    taken = await env.client.post("/api/v1/officers", headers=bearer(xd_admin), json=_officer("xd.trung.ten"))
    assert taken.status_code == 409 and problem_type(taken) == "username-taken"
    assert taken.json()["title"] == "Tên đăng nhập đã tồn tại"
    for bad in (
        _officer("Xd Hoa"),
        _officer("xd.hoa.phone", phone="12345"),
        _officer("xd.hoa.roles", roles=[]),
        _officer("xd.hoa.role", roles=["superuser"]),
        _officer("xd.hoa.extra", salary=1),
    ):
        response = await env.client.post("/api/v1/officers", headers=bearer(xd_admin), json=bad)
        assert response.status_code == 422, bad
    unknown = await env.client.post(
        "/api/v1/officers", headers=bearer(xd_admin), json=_officer("xd.hoa.unknown", agency="999.99.99.H56")
    )
    assert unknown.status_code in (403, 422)  # not theirs to manage, and it does not exist
    operator = await env.operator("vp.khongco")
    missing = await env.client.post(
        "/api/v1/officers",
        headers=bearer(operator),
        json=_officer("vp.hoa.unknown", agency="999.99.99.H56", roles=["agency_admin"]),
    )
    assert missing.status_code == 422 and problem_type(missing) == "unknown-agency"


async def test_listing_is_per_agency_sorted_and_paged(env: Env) -> None:
    operator, _, tp_admin = await admins(env, "list")
    for name in ("tp.c.list", "tp.a.list", "tp.b.list"):
        await env.officer(tp_admin, name, TP, ["processing_officer"])
    own = await env.client.get("/api/v1/officers", params={"limit": 200}, headers=bearer(tp_admin))
    usernames = [o["username"] for o in own.json()]
    assert {"tp.a.list", "tp.b.list", "tp.c.list", "tp.admin.list"} <= set(usernames)
    assert usernames == sorted(usernames) and {o["agency_id"] for o in own.json()} == {TP}
    page = await env.client.get(
        "/api/v1/officers", params={"after": "tp.a.list", "limit": 2}, headers=bearer(tp_admin)
    )
    assert [o["username"] for o in page.json()] == usernames[usernames.index("tp.a.list") + 1 :][:2]
    by_operator = await env.client.get(
        "/api/v1/officers", params={"agency_id": TP, "limit": 200}, headers=bearer(operator)
    )
    assert [o["username"] for o in by_operator.json()] == usernames
    assert (
        await env.client.get("/api/v1/officers", params={"limit": 0}, headers=bearer(operator))
    ).status_code == 422


async def test_an_officer_sees_their_own_account_but_not_a_colleagues(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "read")
    mine, tokens = await env.officer(xd_admin, "xd.tu.xem", XD, ["processing_officer"])
    colleague, _ = await env.officer(xd_admin, "xd.dong.nghiep", XD, ["processing_officer"])
    access = bearer(tokens["access_token"])
    own = await env.client.get(f"/api/v1/officers/{mine}", headers=access)
    assert own.status_code == 200 and own.json()["username"] == "xd.tu.xem"
    other = await env.client.get(f"/api/v1/officers/{colleague}", headers=access)
    assert other.status_code == 404 and problem_type(other) == "officer-not-found"
    assert (await env.client.get("/api/v1/officers", headers=access)).status_code == 403
    assert (
        await env.client.get(f"/api/v1/officers/{colleague}", headers=bearer(xd_admin))
    ).status_code == 200


async def test_a_role_change_takes_effect_at_once_and_is_recorded(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "roles")
    officer_id, tokens = await env.officer(
        xd_admin, "xd.vaitro", XD, ["one_stop_officer"], "Công chức Bộ phận Một cửa"
    )
    renamed = await env.client.patch(
        f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin), json={"full_name": "Cán bộ Vai Trò"}
    )
    assert renamed.status_code == 200 and renamed.json()["full_name"] == "Cán bộ Vai Trò"
    # A new name is not a move: the officer's session goes on.
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 200
    changed = await env.client.patch(
        f"/api/v1/officers/{officer_id}",
        headers=bearer(xd_admin),
        json={"roles": ["processing_officer", "department_head"]},
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["department_head", "processing_officer"]
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 401
    refreshed = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    events = [data for key, data in await env.events(officer_id) if key == "officer.upserted.v1"]
    assert events[-1]["roles"] == ["department_head", "processing_officer"]
    assert events[-1]["tokens_valid_after"] is not None
    change = [r for r in await env.audit(operator, target=officer_id) if r["action"] == "officer.changed"][-1]
    assert change["detail"]["before"]["roles"] == ["one_stop_officer"]
    assert change["detail"]["after"]["roles"] == ["department_head", "processing_officer"]
    assert change["detail"]["fields"] == ["roles"]
    provincial = await env.client.patch(
        f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin), json={"roles": ["auditor"]}
    )
    assert provincial.status_code == 403


async def test_lock_and_unlock_with_a_reason_and_the_events_that_follow(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "khoa")
    officer_id, tokens = await env.officer(xd_admin, "xd.nghi.viec", XD, ["processing_officer"])
    locked = await env.client.post(
        f"/api/v1/officers/{officer_id}/lock", json={"reason": "left"}, headers=bearer(xd_admin)
    )
    assert locked.status_code == 200
    assert locked.json()["locked"] is True and locked.json()["lock_reason"] == "left"
    keys = [key for key, _ in await env.events(officer_id)]
    assert keys[-2:] == ["officer.locked.v1", "officer.upserted.v1"]
    events = await env.events(officer_id)
    assert events[-2][1]["reason"] == "left" and events[-1][1]["active"] is False
    refused = await env.login("xd.nghi.viec")
    assert refused.status_code == 423 and problem_type(refused) == "account-locked"
    assert "liên hệ quản trị" in refused.json()["detail"]
    bad_reason = await env.client.post(
        f"/api/v1/officers/{officer_id}/lock", json={"reason": "holiday"}, headers=bearer(xd_admin)
    )
    assert bad_reason.status_code == 422
    unlocked = await env.client.post(f"/api/v1/officers/{officer_id}/unlock", headers=bearer(xd_admin))
    assert unlocked.status_code == 200
    assert unlocked.json()["locked"] is False and unlocked.json()["lock_reason"] is None
    assert (await env.events(officer_id))[-1][1]["active"] is True
    assert (await env.login("xd.nghi.viec")).status_code == 200
    # The tokens held at the time of the lock stay void after the unlock.
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 401
    actions = [r["action"] for r in await env.audit(xd_admin, target=officer_id)]
    assert actions.index("officer.locked") < actions.index("officer.unlocked")


async def test_nobody_locks_themselves_and_officers_do_not_lock_each_other(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "tu.khoa")
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(xd_admin))).json()
    own = await env.client.post(f"/api/v1/officers/{me['id']}/lock", json={}, headers=bearer(xd_admin))
    assert own.status_code == 409 and problem_type(own) == "self-lock"
    victim, _ = await env.officer(xd_admin, "xd.nan.nhan", XD, ["processing_officer"])
    _, colleague = await env.officer(xd_admin, "xd.dong.su", XD, ["processing_officer"])
    by_colleague = await env.client.post(
        f"/api/v1/officers/{victim}/lock", json={}, headers=bearer(colleague["access_token"])
    )
    assert by_colleague.status_code == 403
    assert (await env.login("xd.nan.nhan")).status_code == 200


async def test_an_unlock_also_ends_a_lock_after_wrong_passwords(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "mo.khoa")
    officer_id, _ = await env.officer(xd_admin, "xd.quen.mk", XD, ["processing_officer"])
    async with env.other_client("198.51.100.21") as officer:
        for attempt in range(5):
            await officer.post(
                "/api/v1/auth/login", json={"username": "xd.quen.mk", "password": f"sai-{attempt}"}
            )
        blocked = await officer.post(
            "/api/v1/auth/login", json={"username": "xd.quen.mk", "password": STRONG}
        )
        assert blocked.status_code == 401 and problem_type(blocked) == "invalid-credentials"
        shown = (await env.client.get(f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin))).json()
        assert shown["temporarily_locked_until"] is not None and shown["locked"] is False
        await env.client.post(f"/api/v1/officers/{officer_id}/unlock", headers=bearer(xd_admin))
        again = await officer.post("/api/v1/auth/login", json={"username": "xd.quen.mk", "password": STRONG})
        assert again.status_code == 200


async def test_a_password_reset_ends_the_old_password_and_sessions(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "reset")
    officer_id, tokens = await env.officer(xd_admin, "xd.cap.lai", XD, ["processing_officer"])
    reset = await env.client.post(f"/api/v1/officers/{officer_id}/reset-password", headers=bearer(xd_admin))
    assert reset.status_code == 200
    assert "temporary_password" not in reset.json()
    assert reset.json()["credentials_sent_to"] == "x***@laichau.gov.vn"
    temporary = await env.temporary_password(officer_id)
    issued = [d for k, d in await env.events(officer_id) if k == "officer.credentials_issued.v1"]
    assert [d["reason"] for d in issued] == ["created", "reset"] and issued[-1][
        "temporary_password"
    ] == temporary
    assert reset.json()["officer"]["must_change_password"] is True
    assert (await env.login("xd.cap.lai")).status_code == 401
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))
    ).status_code == 401
    stale = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert stale.status_code == 401
    first = await env.login("xd.cap.lai", temporary)
    assert first.status_code == 403 and problem_type(first) == "password-change-required"
    await env.activate("xd.cap.lai", temporary, "Muong-Te-2026-moi!")
    assert (await env.login("xd.cap.lai", "Muong-Te-2026-moi!")).status_code == 200
    actions = [r["action"] for r in await env.audit(xd_admin, target=officer_id)]
    assert "officer.password_reset" in actions


async def test_the_first_password_change_checks_the_current_one_and_the_policy(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "doi.mk")
    created = await env.client.post("/api/v1/officers", headers=bearer(xd_admin), json=_officer("xd.doi.mk"))
    temporary = await env.temporary_password(created.json()["officer"]["id"])

    async def change(current: str, new: str) -> Any:
        return await env.client.post(
            "/api/v1/auth/password",
            json={"username": "xd.doi.mk", "current_password": current, "new_password": new},
        )

    wrong = await change("Khong-dung-2026!", STRONG)
    assert wrong.status_code == 401 and problem_type(wrong) == "invalid-credentials"
    same = await change(temporary, temporary)
    assert same.status_code == 422 and "Mật khẩu mới phải khác mật khẩu hiện tại." in same.json()["errors"]
    named = await change(temporary, "Xd.Doi.Mk-2026-abc")
    assert named.status_code == 422 and "Mật khẩu không được chứa tên đăng nhập." in named.json()["errors"]
    common = await change(temporary, "Password-2026-x")
    assert "Mật khẩu quá phổ biến, dễ bị dò đoán." in common.json()["errors"]
    simple = await change(temporary, "abcdefghijklmnop")
    assert any("ba trong bốn loại" in e for e in simple.json()["errors"])
    done = await change(temporary, STRONG)
    assert done.status_code == 200
    me = await env.client.get("/api/v1/officers/me", headers=bearer(done.json()["access_token"]))
    assert me.json()["must_change_password"] is False
    refreshed = await env.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": done.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert (await env.login("xd.doi.mk", temporary)).status_code == 401


async def test_population_access_is_granted_once_revoked_and_misses_are_logged(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "dancu")
    officer_id, tokens = await env.officer(xd_admin, "xd.dancu", XD, ["one_stop_officer"])
    path = f"/api/v1/officers/{officer_id}/population-access"
    future = await env.client.put(path, json={"commitment_signed_on": "2999-01-01"}, headers=bearer(operator))
    assert future.status_code == 422 and problem_type(future) == "commitment-in-future"
    granted = await env.client.put(
        path, json={"commitment_signed_on": "2026-01-05"}, headers=bearer(operator)
    )
    assert granted.status_code == 200
    twice = await env.client.put(path, json={"commitment_signed_on": "2026-01-05"}, headers=bearer(operator))
    assert twice.status_code == 409 and problem_type(twice) == "already-granted"
    shown = await env.client.get(f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin))
    assert shown.json()["population_access"] is True
    query = {
        "personal_id": "099999999999",
        "purpose": "Xác minh nhân thân người nộp hồ sơ",
        "dossier_code": "000.00.14.H56-260301-0002",
    }
    missing = await env.client.post(
        "/api/v1/population/lookups", json=query, headers=bearer(tokens["access_token"])
    )
    assert missing.status_code == 404 and problem_type(missing) == "citizen-not-found"
    logged = [r for r in await env.audit(operator, actor=officer_id) if r["action"] == "population.lookup"]
    assert logged[-1]["detail"]["found"] is False and logged[-1]["detail"]["personal_id"] == "099999999999"
    revoked = await env.client.delete(path, headers=bearer(operator))
    assert revoked.status_code == 204
    after = await env.client.post(
        "/api/v1/population/lookups", json=query, headers=bearer(tokens["access_token"])
    )
    assert after.status_code == 403
    again = await env.client.delete(path, headers=bearer(operator))
    assert again.status_code == 404 and problem_type(again) == "no-grant"
    await env.client.post(f"/api/v1/officers/{officer_id}/lock", json={}, headers=bearer(xd_admin))
    to_locked = await env.client.put(
        path, json={"commitment_signed_on": "2026-01-05"}, headers=bearer(operator)
    )
    assert to_locked.status_code == 409 and problem_type(to_locked) == "account-locked"
