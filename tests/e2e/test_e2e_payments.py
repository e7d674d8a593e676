"""A fee paid end to end, the way the citizen, the officers and the accountant see it: the dossier
reaches the payment step in workflow (national status 6), payments asks for the catalog's fee, the
citizen pays on the platform simulator's bank page, payments verifies with the platform (QUERY,
signed receipt) and workflow moves the dossier on; reconciliation finds everything in order."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import DRIVING_LICENCE_EFORM, PASSPORT_COPY, PDF, eventually, mailed_password

PASSWORD = "Dien-Bien-2026-an-toan!"
PROCEDURE = "1.004946.000.00.00.H56"  # cấp giấy phép lái xe quốc tế: lệ phí 135.000 đồng
AGENCY = "000.00.14.H56"


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def operator_and_officer(stack: Stack) -> tuple[dict[str, str], dict[str, str]]:
    suffix = uuid.uuid4().hex[:6]
    temporary = subprocess.run(
        [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", f"e2e.ketoan{suffix}"],
        env=stack.env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as client:
        operator = client.post(
            "/api/v1/auth/password",
            json={"username": f"e2e.ketoan{suffix}", "current_password": temporary, "new_password": PASSWORD},
        ).json()
        # The operator appoints the agency's administrator, who creates the agency's officer.
        admin = _officer(stack, client, bearer(operator), f"e2e.qtxd{suffix}", ["agency_admin"])
        officer = _officer(
            stack,
            client,
            bearer(admin),
            f"e2e.xaydung{suffix}",
            ["one_stop_officer", "processing_officer", "department_head", "agency_leader"],
        )
    return bearer(operator), bearer(officer)


def _officer(
    stack: Stack, client: httpx.Client, headers: dict[str, str], username: str, roles: list[str]
) -> dict[str, Any]:
    created = client.post(
        "/api/v1/officers",
        headers=headers,
        json={
            "username": username,
            "agency_id": AGENCY,
            "full_name": "Lò Văn Tâm",
            "position": "Phó Giám đốc",
            "roles": roles,
            "email": f"{username}@laichau.gov.vn",
        },
    )
    assert created.status_code == 201, created.text
    tokens: dict[str, Any] = client.post(
        "/api/v1/auth/password",
        json={
            "username": username,
            "current_password": mailed_password(stack, f"{username}@laichau.gov.vn"),
            "new_password": PASSWORD,
        },
    ).json()
    return tokens


def citizen(stack: Stack) -> dict[str, str]:
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as client:
        start = client.get("/api/v1/citizen/login")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": "011300009876", "decision": "allow"},
            timeout=30,
        )
        done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        return bearer(done.json())


def configure(payments: httpx.Client, operator: dict[str, str]) -> None:
    # The agency's beneficiary account (Lai Châu Điều 11.3); the fee comes from the catalog.
    account = {
        "account_number": "3511.0.1049460",
        "account_name": "Sở Xây dựng tỉnh Lai Châu",
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
    }
    assert (
        payments.put(f"/api/v1/beneficiary-accounts/{AGENCY}", json=account, headers=operator).status_code
        == 200
    )
    schedule = eventually(
        lambda: payments.get(f"/api/v1/fee-schedules/{PROCEDURE}/{AGENCY}").json(),
        what="catalog fee schedule",
    )
    assert schedule[0]["fees"][0]["amount"] == 135000


def dossier_awaiting_payment(
    stack: Stack, officer: dict[str, str], workflow: httpx.Client, payer: dict[str, str]
) -> str:
    """The payer submits online at intake (only the dossier's owner pays it); drive the dossier
    through workflow to its payment step (status 6)."""
    form = {
        "procedure_code": PROCEDURE,
        "applicant_name": "Giàng Thị Mỷ",
        "email": "thanh.toan@example.vn",
        "eform": DRIVING_LICENCE_EFORM,
    }

    def submitted() -> httpx.Response | None:
        response = httpx.post(
            stack.url("intake") + "/api/v1/dossiers",
            data={"dossier": json.dumps(form, ensure_ascii=False)},
            files=[("files", ("don-de-nghi.pdf", PDF, "application/pdf")), ("files", PASSPORT_COPY)],
            headers=payer,
            timeout=30,
        )
        return response if response.status_code == 201 else None

    code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
    eventually(
        lambda: workflow.get(f"/api/v1/dossiers/{code}").status_code == 200, what="dossier in workflow"
    )
    assert workflow.post(f"/api/v1/dossiers/{code}/actions/accept", headers=officer).status_code == 200
    state: dict[str, Any] = {}
    for _ in range(6):
        state = workflow.post(f"/api/v1/dossiers/{code}/actions/forward", headers=officer).json()
        if state.get("status") == 6:
            break
    assert state["status"] == 6, state
    return code


def test_fee_paid_through_the_platform_moves_the_dossier_on(stack: Stack) -> None:
    operator, officer = operator_and_officer(stack)
    payer = citizen(stack)
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)

    configure(payments, operator)
    code = dossier_awaiting_payment(stack, officer, workflow, payer)

    # The citizen looks the fee up by dossier code and pays on the bank's page.
    (request,) = eventually(
        lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=payer).json(),
        what="payment request",
    )
    assert (request["amount"], request["status"]) == (135000, "awaiting")
    started = payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=payer)
    assert started.status_code == 200, started.text
    bank = httpx.get(started.json()["pay_url"], params={"outcome": "success"}, timeout=30)
    assert bank.status_code == 303
    back = httpx.get(bank.headers["location"], timeout=30)
    # The browser comes back without a token: the verdict, no payment details.
    assert back.status_code == 200 and back.json()["verdict"] in ("paid", "already_paid"), back.text
    assert back.json()["payment"] is None

    # Workflow continues only after the verified payment (Điện Biên Điều 15.2).
    moved = eventually(
        lambda: (s := workflow.get(f"/api/v1/dossiers/{code}").json())["status"] != 6 and s,
        what="dossier moved on",
    )
    assert moved["status"] in (4, 9), moved
    receipt = payments.get(f"/api/v1/payments/{request['payment_id']}/receipt", headers=payer).json()
    assert receipt["document"]["MaHoSo"] == code and receipt["document"]["SoTien"] == 135000
    # The receipt is attached to the dossier and lands in the payer's data store at intake.
    intake = httpx.Client(base_url=stack.url("intake"), timeout=30)
    # The sandbox's citizen pays in other tests of this stack too: look for this dossier's receipt.
    (kept,) = eventually(
        lambda: [
            r for r in intake.get("/api/v1/my/receipts", headers=payer).json() if r["dossier_code"] == code
        ],
        what="receipt in the store",
    )
    assert (kept["dossier_code"], kept["amount"], kept["payment_id"]) == (code, 135000, request["payment_id"])
    on_dossier = intake.get(f"/api/v1/dossiers/{code}/receipts", headers=officer).json()
    assert [r["payment_id"] for r in on_dossier] == [request["payment_id"]]
    again = payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=payer)
    assert again.status_code == 409
    report = payments.post("/api/v1/reconciliation/run", headers=operator).json()
    assert report["mismatches"] == [] and report["unavailable"] is False


def test_platform_down_at_init_then_a_lost_callback_found_by_reconciliation(stack: Stack) -> None:
    operator, officer = operator_and_officer(stack)
    payer = citizen(stack)
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
    sandbox = httpx.Client(base_url=stack.url("sandbox") + "/payment-platform/_control", timeout=30)
    configure(payments, operator)
    code = dossier_awaiting_payment(stack, officer, workflow, payer)
    (request,) = eventually(
        lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=payer).json(),
        what="payment request",
    )
    start = f"/api/v1/payments/{request['payment_id']}/start"

    sandbox.post("/outage", json={"down": True})
    try:
        down = payments.post(start, headers=payer)
    finally:
        sandbox.post("/outage", json={"down": False})
    assert down.status_code == 503 and "Chưa có khoản tiền nào bị trừ" in down.json()["detail"]

    started = payments.post(start, headers=payer).json()
    # The bank takes the money but its callback never arrives, and the citizen closes the browser.
    paid = sandbox.post(f"/transactions/{started['reference']}/complete", json={"outcome": "timeout"})
    assert paid.json()["delivered"] == []
    assert (
        payments.get(f"/api/v1/payments/{request['payment_id']}", headers=payer).json()["status"]
        == "awaiting"
    )
    assert workflow.get(f"/api/v1/dossiers/{code}").json()["status"] == 6

    report = payments.post("/api/v1/reconciliation/run", headers=operator).json()
    assert {"reference": started["reference"], "verdict": "paid"} in report["confirmed"]
    eventually(
        lambda: workflow.get(f"/api/v1/dossiers/{code}").json()["status"] != 6, what="dossier moved on"
    )
    state = payments.get(f"/api/v1/payments/{request['payment_id']}", headers=payer).json()
    assert state["status"] == "paid" and [a["status"] for a in state["attempts"]] == ["init_failed", "paid"]
    transactions = sandbox.get("/transactions").json()
    assert [t["status"] for t in transactions if t["dossier_code"] == code] == ["00"]  # paid once
