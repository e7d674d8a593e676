"""The Q&A section in the whole stack: agencies reach qa as identity's events, a citizen logged in
through VNeID (sandbox) asks, a focal officer created in identity answers, anyone finds the answer
by searching without diacritics, and the events leave qa's outbox."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import db_scalar, eventually

PASSWORD = "Lai-Chau-Hoi-Dap-2026!"
AGENCY = "000.00.14.H56"  # Sở Xây dựng tỉnh Lai Châu


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _officer_token(client: httpx.Client, username: str, temporary: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/password",
        json={"username": username, "current_password": temporary, "new_password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _citizen_token(client: httpx.Client, account: str) -> dict[str, str]:
    start = client.get("/api/v1/citizen/login")
    assert start.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
    back = httpx.post(
        start.headers["location"].split("?")[0],
        data=params | {"account": account, "decision": "allow"},
        timeout=30,
    )
    assert back.status_code == 302
    done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def test_citizen_asks_focal_officer_answers_anyone_finds_it(stack: Stack) -> None:
    qa = httpx.Client(base_url=stack.url("qa"), timeout=30)

    def agency_known() -> bool:
        return AGENCY in {a["agency_id"] for a in qa.get("/api/v1/agencies").json()}

    eventually(agency_known, timeout=60, what="qa's copy of identity's agencies")

    temporary = subprocess.run(
        [_bin("dvc-identity"), "bootstrap-operator", "e2e.qa.quantri"],
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as identity:
        operator = _officer_token(identity, "e2e.qa.quantri", temporary)
        # The provincial operator issues the agency's administrator, who issues its focal officer.
        admin = identity.post(
            "/api/v1/officers",
            headers=operator,
            json={
                "username": "e2e.qa.quantri-so",
                "agency_id": AGENCY,
                "full_name": "Nguyễn Văn Sơn",
                "position": "Quản trị tài khoản Sở Xây dựng",
                "roles": ["agency_admin"],
            },
        )
        assert admin.status_code == 201, admin.text
        agency_admin = _officer_token(identity, "e2e.qa.quantri-so", admin.json()["temporary_password"])
        created = identity.post(
            "/api/v1/officers",
            headers=agency_admin,
            json={
                "username": "e2e.qa.daumoi",
                "agency_id": AGENCY,
                "full_name": "Lò Thị Hương",
                "position": "Chuyên viên Văn phòng Sở",
                "roles": ["qa_focal_officer"],
            },
        )
        assert created.status_code == 201, created.text
        focal = _officer_token(identity, "e2e.qa.daumoi", created.json()["temporary_password"])
        citizen = _citizen_token(identity, "011300009876")

    question: dict[str, Any] = {
        "agency_id": AGENCY,
        "title": "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ",
        "body": "Gia đình tôi ở phường Tân Phong muốn xây nhà hai tầng; xin hỏi hồ sơ cấp giấy phép xây dựng "
        "gồm những giấy tờ gì và nộp ở đâu? Số điện thoại của tôi 0912345678.",
    }
    unaccented = qa.post(
        "/api/v1/questions",
        headers=citizen,
        json=question | {"body": "Xin hoi ho so cap giay phep xay dung gom nhung giay to gi va nop o dau"},
    )
    assert unaccented.status_code == 422
    assert unaccented.json()["violations"][0]["code"] == "no_diacritics"
    asked = qa.post("/api/v1/questions", headers=citizen, json=question)
    assert asked.status_code == 201, asked.text
    question_id = asked.json()["id"]
    assert "0912345678" not in asked.json()["body"]

    answer = (
        "Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng, bản sao giấy tờ về quyền sử dụng đất và bản vẽ "
        "thiết kế; nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến."
    )
    answered = qa.post(
        f"/api/v1/officer/questions/{question_id}/answer", headers=focal, json={"text": answer}
    )
    assert answered.status_code == 200, answered.text

    found = qa.get("/api/v1/questions", params={"q": "giay phep xay dung tan phong"}).json()["items"]
    assert [item["id"] for item in found] == [question_id]
    shown = found[0]["answer"]
    assert (shown["agency_name"], shown["answerer_name"], shown["answerer_position"]) == (
        "Sở Xây dựng tỉnh Lai Châu",
        "Lò Thị Hương",
        "Chuyên viên Văn phòng Sở",
    )
    assert "không có giá trị pháp lý" in shown["notice"]

    def published() -> bool:
        sent = db_scalar(
            stack,
            "qa",
            "SELECT count(*) FROM outbox_message WHERE routing_key IN ('question.asked.v1', 'question.answered.v1')"
            " AND sent_at IS NOT NULL",
        )
        return bool(sent == 2)

    eventually(published, timeout=30, what="question events published")
    qa.close()
