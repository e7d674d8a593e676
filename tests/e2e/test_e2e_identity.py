"""Identity as a process in the whole stack: bootstrap, officer login, VNeID login through the sandbox,
a lock that takes effect at once, and nothing secret in the service's log."""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qs, urlsplit

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import mailed_password

NEW_PASSWORD = "Dien-Bien-2026-an-toan!"


def _bin(name: str) -> str:
    import sys
    from pathlib import Path

    return str(Path(sys.executable).parent / name)


def test_officer_and_citizen_login_and_an_immediate_lock(stack: Stack) -> None:
    identity = stack.url("identity")
    temporary = subprocess.run(
        [_bin("dvc-identity"), "bootstrap-operator", "e2e.quantri"],
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with httpx.Client(base_url=identity, timeout=30) as client:
        assert len(client.get("/api/v1/agencies").json()) >= 20
        first = client.post("/api/v1/auth/login", json={"username": "e2e.quantri", "password": temporary})
        assert first.status_code == 403
        tokens = client.post(
            "/api/v1/auth/password",
            json={"username": "e2e.quantri", "current_password": temporary, "new_password": NEW_PASSWORD},
        ).json()
        operator = {"Authorization": f"Bearer {tokens['access_token']}"}
        created = client.post(
            "/api/v1/officers",
            headers=operator,
            json={
                "username": "e2e.motcua",
                "agency_id": "000.00.01.H56",
                "full_name": "Vàng A Dế",
                "position": "Công chức Bộ phận Một cửa",
                "roles": ["one_stop_officer"],
                "email": "e2e.motcua@laichau.gov.vn",
            },
        )
        assert created.status_code == 201, created.text
        officer_tokens = client.post(
            "/api/v1/auth/password",
            json={
                "username": "e2e.motcua",
                "current_password": mailed_password(stack, "e2e.motcua@laichau.gov.vn"),
                "new_password": NEW_PASSWORD,
            },
        ).json()
        officer = {"Authorization": f"Bearer {officer_tokens['access_token']}"}
        assert client.get("/api/v1/officers/me", headers=officer).status_code == 200
        officer_id = created.json()["officer"]["id"]
        assert (
            client.post(f"/api/v1/officers/{officer_id}/lock", json={}, headers=operator).status_code == 200
        )
        assert client.get("/api/v1/officers/me", headers=officer).status_code == 401

        start = client.get("/api/v1/citizen/login")
        assert start.status_code == 302
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": "011300009876", "decision": "allow"},
            timeout=30,
        )
        assert back.status_code == 302
        done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        citizen = {"Authorization": f"Bearer {done.json()['access_token']}"}
        assert client.get("/api/v1/citizen/me", headers=citizen).json()["full_name"] == "Giàng Thị Mỷ"
        assert client.get("/api/v1/officers", headers=citizen).status_code == 403

    log = (stack.log_dir / "identity.log").read_text(encoding="utf-8")
    for secret in (
        temporary,
        NEW_PASSWORD,
        tokens["access_token"],
        tokens["refresh_token"],
        done.json()["access_token"],
    ):
        assert secret not in log
