"""Workflow in the whole stack: a citizen signed in with VNeID submits through intake, an officer of the
competent agency (token from identity) receives the dossier in workflow, the receipt and appointment
computed by the working-time engine reach the national portal, and the citizen sees only their own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import DRIVING_LICENCE_EFORM, PASSPORT_COPY, PDF, eventually, mailed_password, portal_record

PASSWORD = "Lai-Chau-2026-quy-trinh!"
PROCEDURE = "1.004946.000.00.00.H56"  # Cấp giấy phép lái xe quốc tế, 5 ngày làm việc
AGENCY = "000.00.14.H56"


def _officer_headers(client: httpx.Client, stack: Stack) -> dict[str, str]:
    temporary = subprocess.run(
        [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", "e2e.wf.quantri"],
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tokens = client.post(
        "/api/v1/auth/password",
        json={"username": "e2e.wf.quantri", "current_password": temporary, "new_password": PASSWORD},
    ).json()
    operator = {"Authorization": f"Bearer {tokens['access_token']}"}
    admin = _new_officer(
        stack, client, operator, "e2e.wf.quantri-xd", "Quản trị tài khoản Sở Xây dựng", ["agency_admin"]
    )
    return _new_officer(
        stack, client, admin, "e2e.wf.motcua", "Công chức Bộ phận Một cửa", ["one_stop_officer"]
    )


def _new_officer(
    stack: Stack, client: httpx.Client, by: dict[str, str], username: str, position: str, roles: list[str]
) -> dict[str, str]:
    created = client.post(
        "/api/v1/officers",
        headers=by,
        json={
            "username": username,
            "agency_id": AGENCY,
            "full_name": "Lò Văn Tâm",
            "position": position,
            "roles": roles,
            "email": f"{username}@laichau.gov.vn",
        },
    )
    assert created.status_code == 201, created.text
    officer = client.post(
        "/api/v1/auth/password",
        json={
            "username": username,
            "current_password": mailed_password(stack, f"{username}@laichau.gov.vn"),
            "new_password": PASSWORD,
        },
    ).json()
    return {"Authorization": f"Bearer {officer['access_token']}"}


def _citizen_headers(client: httpx.Client) -> dict[str, str]:
    start = client.get("/api/v1/citizen/login")
    params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
    back = httpx.post(
        start.headers["location"].split("?")[0],
        data=params | {"account": "011300009876", "decision": "allow"},
        timeout=30,
    )
    done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def test_citizen_submits_officer_receives_and_the_portal_gets_the_appointment(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as identity:
        officer = _officer_headers(identity, stack)
        citizen = _citizen_headers(identity)
    form = {
        "procedure_code": PROCEDURE,
        "applicant_name": "Giàng Thị Mỷ",
        "email": "my@example.vn",
        "eform": DRIVING_LICENCE_EFORM,
    }
    submitted = httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data={"dossier": json.dumps(form, ensure_ascii=False)},
        files=[("files", ("don.pdf", PDF, "application/pdf")), ("files", PASSPORT_COPY)],
        headers=citizen,
        timeout=30,
    )
    assert submitted.status_code == 201, submitted.text
    code = submitted.json()["code"]
    workflow = stack.url("workflow")

    def opened() -> dict[str, Any] | None:
        response = httpx.get(f"{workflow}/api/v1/dossiers/{code}", timeout=10)
        return response.json() if response.status_code == 200 else None

    assert eventually(opened, what="dossier opened in workflow")["status"] == 1
    mine = httpx.get(f"{workflow}/api/v1/my/dossiers", headers=citizen, timeout=10).json()
    # The sandbox's citizen submits in other tests of this stack too: this dossier is among theirs, once.
    assert [d["code"] for d in mine].count(code) == 1
    accepted = httpx.post(
        f"{workflow}/api/v1/dossiers/{code}/actions/accept",
        json={"expected_status": 1},
        headers=officer,
        timeout=10,
    )
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == 2 and body["received_at"] and body["appointment_at"]
    again = httpx.post(
        f"{workflow}/api/v1/dossiers/{code}/actions/accept",
        json={"expected_status": 1},
        headers=officer,
        timeout=10,
    )
    assert again.status_code == 409 and again.json()["current_status"] == 2

    def received_on_portal() -> dict[str, Any] | None:
        record = portal_record(stack, code)
        return record if record and int(record["current"]["TrangThaiHoSo"]) == 2 else None

    current = eventually(received_on_portal, timeout=60, what="status 2 on the national portal")["current"]
    assert current["NgayHenTra"] and current["NgayTiepNhan"]
    timeline = httpx.get(f"{workflow}/api/v1/dossiers/{code}/timeline", headers=citizen, timeout=10).json()
    assert [h["status"] for h in timeline["lifecycle"]["history"]] == [1, 2]
