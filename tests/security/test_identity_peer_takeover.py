"""Issue 16, Medium (privileged peers take each other over), against the real stack: an operator (or
an agency administrator) cannot take over a peer's account alone. Resetting the peer's password
mails it to the peer; pointing the peer's e-mail at oneself first, changing the peer's roles, or
locking the peer waits for a second privileged account; a higher role acts at once; every act is
in identity's audit chain, and `dvc audit verify --service identity` finds the chain intact."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
from test_journey_notify import Accounts

from dvc_devkit.devstack import Stack
from e2e_support import mailed_password, mails_to

VP = "000.00.01.H56"
XD = "000.00.14.H56"
OPERATOR_ROLES = ["agency_admin", "provincial_operator"]


def _me(identity: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    me: dict[str, Any] = identity.get("/api/v1/officers/me", headers=headers).json()
    return me


def test_an_operator_cannot_take_over_another_operator_alone(stack: Stack) -> None:
    accounts = Accounts(stack)
    identity = accounts.identity
    attacker = accounts.appoint(accounts.operator, VP, OPERATOR_ROLES, "Kẻ Gian")
    victim = accounts.appoint(accounts.operator, VP, OPERATOR_ROLES, "Nạn Nhân")
    witness = accounts.appoint(accounts.operator, VP, OPERATOR_ROLES, "Người Thứ Hai")
    attacker_mailbox = f"attacker.{uuid.uuid4().hex[:6]}@example.com"

    # 1. Re-point the victim's e-mail at the attacker's mailbox, then reset: the first step waits.
    rewire = identity.patch(
        f"/api/v1/officers/{victim.id}", json={"email": attacker_mailbox}, headers=attacker.headers
    )
    assert rewire.status_code == 202, rewire.text
    reset = identity.post(f"/api/v1/officers/{victim.id}/reset-password", headers=attacker.headers)
    assert reset.status_code == 200 and "temporary_password" not in reset.json()
    new_password = mailed_password(stack, victim.email, letters=2)  # to the victim, not to the attacker
    assert new_password not in reset.text and mails_to(stack, attacker_mailbox) == []

    # 2. Strip the victim's roles, or lock them: both wait for a second operator.
    identity.post(f"/api/v1/officer-changes/{rewire.json()['id']}/refuse", headers=attacker.headers)
    demote = identity.patch(
        f"/api/v1/officers/{victim.id}", json={"roles": ["agency_admin"]}, headers=attacker.headers
    )
    assert demote.status_code == 202
    self_approved = identity.post(
        f"/api/v1/officer-changes/{demote.json()['id']}/approve", headers=attacker.headers
    )
    assert self_approved.status_code == 403
    fresh = accounts.first_login(victim.username, new_password)
    assert _me(identity, fresh)["roles"] == OPERATOR_ROLES
    refused = identity.post(f"/api/v1/officer-changes/{demote.json()['id']}/refuse", headers=witness.headers)
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    lock = identity.post(f"/api/v1/officers/{victim.id}/lock", json={}, headers=attacker.headers)
    assert lock.status_code == 202
    assert identity.get("/api/v1/officers/me", headers=fresh).status_code == 200  # still in

    # 3. The audit chain holds every act, by whom.
    trail = identity.get(
        "/api/v1/audit", params={"target": victim.id, "limit": 500}, headers=witness.headers
    ).json()
    acts = [(r["action"], r["actor"]) for r in trail if r["action"].startswith("officer.")]
    attacker_id, witness_id = attacker.id, witness.id
    assert ("officer.change_requested", attacker_id) in acts
    assert ("officer.password_reset", attacker_id) in acts
    assert ("officer.change_refused", attacker_id) in acts  # withdrawn
    assert ("officer.change_refused", witness_id) in acts
    assert [a for a, _ in acts].count("officer.change_requested") == 3
    assert "officer.locked" not in [a for a, _ in acts] and "officer.changed" not in [a for a, _ in acts]
    verified = subprocess.run(
        [str(Path(sys.executable).parent / "dvc"), "audit", "verify", "--service", "identity",
         "--url", stack.url("identity"), "--token", witness.headers["Authorization"].split()[1]],
        env=stack.env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"] is True


def test_an_agency_admin_cannot_lock_a_fellow_admin_alone_but_the_operator_can(stack: Stack) -> None:
    accounts = Accounts(stack)
    identity = accounts.identity
    first = accounts.appoint(accounts.operator, XD, ["agency_admin"], "Quản trị Một")
    second = accounts.appoint(accounts.operator, XD, ["agency_admin"], "Quản trị Hai")
    lock = identity.post(f"/api/v1/officers/{second.id}/lock", json={}, headers=first.headers)
    assert lock.status_code == 202
    assert identity.get("/api/v1/officers/me", headers=second.headers).status_code == 200
    approved = identity.post(
        f"/api/v1/officer-changes/{lock.json()['id']}/approve", headers=accounts.operator
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert identity.get("/api/v1/officers/me", headers=second.headers).status_code == 401  # at once
    other = accounts.appoint(accounts.operator, XD, ["agency_admin"], "Quản trị Ba")
    direct = identity.post(f"/api/v1/officers/{other.id}/lock", json={}, headers=accounts.operator)
    assert direct.status_code == 200 and direct.json()["locked"] is True  # a higher role
