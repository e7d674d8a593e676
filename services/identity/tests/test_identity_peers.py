"""Privileged peers cannot take each other over (issue 16): a reset's temporary password goes to the
holder's own e-mail, never to the actor; changing a same-level account's roles, department or
contact, or locking it, waits for a second privileged account (four-eyes); a higher role acts at
once; every request, approval and refusal is in the audit chain."""

from __future__ import annotations

from typing import Any

import pytest
from identity_support import XD, Env, admins, bearer, problem_type

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _me(env: Env, token: str) -> dict[str, Any]:
    me: dict[str, Any] = (await env.client.get("/api/v1/officers/me", headers=bearer(token))).json()
    return me


async def _actions(env: Env, token: str, target: str) -> list[str]:
    return [r["action"] for r in await env.audit(token, target=target)]


async def test_an_operator_resetting_a_peer_never_sees_the_password(env: Env) -> None:
    operator_a = await env.operator("vp.peer.reset.a")
    operator_b = await env.operator("vp.peer.reset.b")
    b = await _me(env, operator_b)
    reset = await env.client.post(f"/api/v1/officers/{b['id']}/reset-password", headers=bearer(operator_a))
    assert reset.status_code == 200, reset.text
    issued = [d for k, d in await env.events(b["id"]) if k == "officer.credentials_issued.v1"]
    assert issued[-1]["reason"] == "reset" and issued[-1]["email"] == "vp.peer.reset.b@laichau.gov.vn"
    assert issued[-1]["temporary_password"] not in reset.text and "temporary_password" not in reset.json()
    assert reset.json()["credentials_sent_to"] == "v***@laichau.gov.vn"
    # A's session holds nothing that logs in as B: only the letter to B's address does.
    assert (await env.login("vp.peer.reset.b", issued[-1]["temporary_password"])).status_code == 403
    assert "officer.password_reset" in await _actions(env, operator_a, b["id"])


async def test_an_operator_changes_a_peers_roles_only_with_a_second_operator(env: Env) -> None:
    operator_a = await env.operator("vp.peer.roles.a")
    operator_b = await env.operator("vp.peer.roles.b")
    operator_c = await env.operator("vp.peer.roles.c")
    a, b, c = await _me(env, operator_a), await _me(env, operator_b), await _me(env, operator_c)
    asked = await env.client.patch(
        f"/api/v1/officers/{b['id']}", json={"roles": ["agency_admin"]}, headers=bearer(operator_a)
    )
    assert asked.status_code == 202, asked.text
    request = asked.json()
    assert request["status"] == "pending" and request["action"] == "change"
    assert request["change"] == {"roles": ["agency_admin"]} and request["requested_by"] == a["id"]
    assert (await _me(env, operator_b))["roles"] == ["agency_admin", "provincial_operator"]  # unchanged
    again = await env.client.post(f"/api/v1/officers/{b['id']}/lock", json={}, headers=bearer(operator_a))
    assert again.status_code == 409 and problem_type(again) == "change-pending"
    # Neither the requester nor the target approves.
    for token in (operator_a, operator_b):
        refused = await env.client.post(
            f"/api/v1/officer-changes/{request['id']}/approve", headers=bearer(token)
        )
        assert refused.status_code == 403, refused.text
    listed = await env.client.get("/api/v1/officer-changes", headers=bearer(operator_c))
    assert request["id"] in [r["id"] for r in listed.json()]
    approved = await env.client.post(
        f"/api/v1/officer-changes/{request['id']}/approve", headers=bearer(operator_c)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["decided_by"] == c["id"]
    after = await env.client.get(f"/api/v1/officers/{b['id']}", headers=bearer(operator_c))
    assert after.json()["roles"] == ["agency_admin"]
    # B's old token (an operator's) stopped working with the change.
    assert (await env.client.get("/api/v1/officers/me", headers=bearer(operator_b))).status_code == 401
    twice = await env.client.post(
        f"/api/v1/officer-changes/{request['id']}/approve", headers=bearer(operator_c)
    )
    assert twice.status_code == 409 and problem_type(twice) == "change-decided"
    trail = [
        r for r in await env.audit(operator_c, target=b["id"]) if r["action"].startswith("officer.change")
    ]
    assert [r["action"] for r in trail] == [
        "officer.change_requested",
        "officer.change_approved",
        "officer.changed",
    ]
    assert trail[0]["actor"] == a["id"] and trail[1]["actor"] == c["id"]
    assert trail[2]["actor"] == a["id"] and trail[2]["detail"]["approved_by"] == c["id"]


async def test_an_agency_admin_locks_or_rewires_a_peer_only_with_a_second_person(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "peer.lock")
    peer_id, peer = await env.officer(operator, "xd.admin2.peer.lock", XD, ["agency_admin"])
    # Pointing the peer's e-mail at oneself (then resetting) would be a takeover: it waits too.
    rewire = await env.client.patch(
        f"/api/v1/officers/{peer_id}", json={"email": "ke.gian@example.com"}, headers=bearer(xd_admin)
    )
    assert rewire.status_code == 202
    withdrawn = await env.client.post(
        f"/api/v1/officer-changes/{rewire.json()['id']}/refuse", headers=bearer(xd_admin)
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "refused"
    locked = await env.client.post(f"/api/v1/officers/{peer_id}/lock", json={}, headers=bearer(xd_admin))
    assert locked.status_code == 202
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(peer["access_token"]))
    ).status_code == 200
    refused = await env.client.post(
        f"/api/v1/officer-changes/{locked.json()['id']}/refuse", headers=bearer(operator)
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    shown = (await env.client.get(f"/api/v1/officers/{peer_id}", headers=bearer(operator))).json()
    assert shown["locked"] is False and shown["email"] == "xd.admin2.peer.lock@laichau.gov.vn"
    actions = await _actions(env, operator, peer_id)
    assert actions.count("officer.change_requested") == 2 and actions.count("officer.change_refused") == 2
    assert "officer.locked" not in actions and "officer.changed" not in actions
    # The provincial operator (a higher role) locks an agency administrator at once.
    direct = await env.client.post(f"/api/v1/officers/{peer_id}/lock", json={}, headers=bearer(operator))
    assert direct.status_code == 200 and direct.json()["locked"] is True


async def test_an_admin_still_manages_ordinary_officers_at_once(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "peer.plain")
    officer_id, _ = await env.officer(xd_admin, "xd.plain.peer", XD, ["processing_officer"])
    changed = await env.client.patch(
        f"/api/v1/officers/{officer_id}", json={"roles": ["one_stop_officer"]}, headers=bearer(xd_admin)
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["one_stop_officer"]
    locked = await env.client.post(f"/api/v1/officers/{officer_id}/lock", json={}, headers=bearer(xd_admin))
    assert locked.status_code == 200 and locked.json()["locked"] is True
