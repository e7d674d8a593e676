"""Intake in the whole stack: a one-stop officer submits at the counter with a digitised scan, workflow
receives the dossier, and intake produces Mẫu 01 from dossier.received.v1 (Vietnamese text, through the
broker, downloaded by a short-lived link); the public look-up shows the appointment and no personal
data; a supplement request gives Mẫu 02 and the officer uploads the supplement; a rejection gives Mẫu 03."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from pypdf import PdfReader

from dvc_devkit.devstack import Stack
from e2e_support import DRIVING_LICENCE_EFORM, PASSPORT_COPY, PDF, eventually, mailed_password

PASSWORD = "Lai-Chau-2026-tiep-nhan!"
PROCEDURE = "1.004946.000.00.00.H56"
AGENCY = "000.00.14.H56"


def _officer(client: httpx.Client, stack: Stack) -> dict[str, str]:
    temporary = subprocess.run(
        [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", "e2e.in.quantri"],
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tokens = client.post(
        "/api/v1/auth/password",
        json={"username": "e2e.in.quantri", "current_password": temporary, "new_password": PASSWORD},
    ).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    for username, roles in (("e2e.in.quantri-xd", ["agency_admin"]), ("e2e.in.motcua", ["one_stop_officer"])):
        created = client.post(
            "/api/v1/officers",
            headers=headers,
            json={
                "username": username,
                "agency_id": AGENCY,
                "full_name": "Tòng Văn Khánh",
                "position": "Công chức Bộ phận Một cửa",
                "roles": roles,
                "email": f"{username}@laichau.gov.vn",
            },
        )
        assert created.status_code == 201, created.text
        tokens = client.post(
            "/api/v1/auth/password",
            json={
                "username": username,
                "current_password": mailed_password(stack, f"{username}@laichau.gov.vn"),
                "new_password": PASSWORD,
            },
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    return headers


def _slip_text(stack: Stack, code: str, form: str, officer: dict[str, str]) -> str:
    def listed() -> dict[str, Any] | None:
        response = httpx.get(
            stack.url("intake") + f"/api/v1/dossiers/{code}/slips", headers=officer, timeout=10
        )
        found = [s for s in response.json() if s["form"] == form] if response.status_code == 200 else []
        return found[0] if found else None

    slip = eventually(listed, what=f"Mẫu {form} of {code}")
    pdf = httpx.get(stack.url("intake") + slip["url"], headers=officer, timeout=10, follow_redirects=True)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)


def test_counter_submission_receipt_supplement_and_rejection_slips(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as identity:
        officer = _officer(identity, stack)
    intake, workflow = stack.url("intake"), stack.url("workflow")
    eventually(
        lambda: httpx.get(f"{intake}/api/v1/procedures/{PROCEDURE}", timeout=10).status_code == 200,
        what="intake knows the procedure",
    )

    def submit() -> str:
        form = {
            "procedure_code": PROCEDURE,
            "applicant_name": "Lò Thị Dung",
            "channel": 1,
            "digitised": [1],
            "eform": DRIVING_LICENCE_EFORM,
        }
        response = httpx.post(
            f"{intake}/api/v1/dossiers",
            data={"dossier": json.dumps(form, ensure_ascii=False)},
            files=[("files", ("bản quét đơn.pdf", PDF, "application/pdf")), ("files", PASSPORT_COPY)],
            headers=officer,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        code: str = response.json()["code"]
        eventually(
            lambda: httpx.get(f"{workflow}/api/v1/dossiers/{code}", timeout=10).status_code == 200,
            what="dossier opened in workflow",
        )
        return code

    def act(code: str, action: str, **body: Any) -> None:
        response = httpx.post(
            f"{workflow}/api/v1/dossiers/{code}/actions/{action}", json=body, headers=officer, timeout=10
        )
        assert response.status_code == 200, response.text

    code = submit()
    detail = httpx.get(f"{intake}/api/v1/dossiers/{code}", headers=officer, timeout=10).json()
    assert detail["channel"] == 1 and detail["files"][0]["digitised"] is True
    act(code, "accept", expected_status=1)
    receipt = _slip_text(stack, code, "01", officer)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and code in receipt
    assert "Lò Thị Dung" in receipt and "Thời gian trả kết quả giải quyết hồ sơ" in receipt

    lookup = eventually(
        lambda: (r := httpx.get(f"{intake}/api/v1/lookup/{code}", timeout=10).json())["status"] == 2 and r,
        what="look-up shows the receipt",
    )
    assert lookup["appointment_at"] and lookup["received_at"]
    assert "Lò Thị Dung" not in json.dumps(lookup, ensure_ascii=False)

    act(code, "request_supplement", reason="Thiếu ảnh chân dung 4x6")
    assert "Thiếu ảnh chân dung 4x6" in _slip_text(stack, code, "02", officer)
    eventually(
        lambda: httpx.get(f"{intake}/api/v1/lookup/{code}", timeout=10).json()["status"] == 5,
        what="intake sees the supplement request",
    )
    supplemented = httpx.post(
        f"{intake}/api/v1/dossiers/{code}/supplements",
        files=[("files", ("ảnh chân dung.pdf", PDF + b"%anh", "application/pdf"))],
        headers=officer,
        timeout=30,
    )
    assert supplemented.status_code == 201, supplemented.text

    rejected = submit()
    act(rejected, "reject", reason="Hồ sơ không thuộc thẩm quyền")
    assert "Hồ sơ không thuộc thẩm quyền" in _slip_text(stack, rejected, "03", officer)
