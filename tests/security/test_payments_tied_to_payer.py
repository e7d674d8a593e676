"""Issue 16, Medium: payments not tied to the payer. A signed-in citizen could list, read and start
another person's payment (cancelling their open attempt), and the return page showed the record to
anyone holding a reference. Now only the dossier's owner starts its payment; readers are those of
the shared read-access policy; everyone else gets 404 (or an empty list), and the return page
shows no payment details without a token of someone who may read it."""

from __future__ import annotations

from typing import Any

import httpx
from security_support import AGENCY_A, OTHER_AGENCY, People
from test_journey_payments import submit

from dvc_devkit.devstack import Stack
from e2e_support import eventually

PROCEDURE = "1.004946.000.00.00.H56"  # cấp giấy phép lái xe quốc tế, Sở Xây dựng: lệ phí 135.000 đồng
ACCOUNT = {
    "account_number": "3511.0.1049460",
    "account_name": "Sở Xây dựng tỉnh Lai Châu",
    "bank_code": "KBNN",
    "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
}


def _awaiting_payment(stack: Stack, people: People, owner: dict[str, str]) -> str:
    payments = stack.url("payments")
    put = httpx.put(f"{payments}/api/v1/beneficiary-accounts/{AGENCY_A}", json=ACCOUNT,
                    headers=people.operator(), timeout=30)  # fmt: skip
    assert put.status_code == 200, put.text
    # Online, with the procedure's e-form and both of its components (the application, the passport).
    eform = {"ho_ten": "Giàng Thị Mỷ", "so_gplx": "790123456789", "hang": "B"}
    code: str = submit(stack, owner, PROCEDURE, components=2, eform=eform, email="chu.ho.so@example.vn")
    officer = people.officer(
        AGENCY_A, "one_stop_officer", "processing_officer", "department_head", "agency_leader"
    )
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
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


def test_a_stranger_can_neither_read_nor_start_someone_elses_payment(stack: Stack, people: People) -> None:
    owner = people.citizen("012345678901").headers
    stranger = people.citizen("011200004567").headers
    code = _awaiting_payment(stack, people, owner)
    api = httpx.Client(base_url=stack.url("payments"), timeout=30)
    (request,) = eventually(
        lambda: api.get("/api/v1/payments", params={"dossier_code": code}, headers=owner).json(),
        what="the owner sees the payment request",
    )
    payment = request["payment_id"]
    started = api.post(f"/api/v1/payments/{payment}/start", headers=owner)
    assert started.status_code == 200, started.text
    reference = started.json()["reference"]

    # The stranger: nothing listed, nothing read, nothing started (the owner's attempt stays open).
    listed = api.get("/api/v1/payments", params={"dossier_code": code}, headers=stranger)
    assert listed.status_code == 200 and listed.json() == [], "a stranger listed someone else's payment"
    other_officer = people.officer(OTHER_AGENCY, "one_stop_officer")
    for who in (stranger, other_officer):
        read = api.get(f"/api/v1/payments/{payment}", headers=who)
        assert read.status_code == 404 and read.headers["content-type"].startswith("application/problem+json")
        hijack = api.post(f"/api/v1/payments/{payment}/start", headers=who)
        assert hijack.status_code == 404, hijack.text
    attempts = api.get(f"/api/v1/payments/{payment}", headers=owner).json()["attempts"]
    assert [a["status"] for a in attempts] == ["initiated"] and attempts[0]["reference"] == reference

    # The return page, anonymously or to a stranger: the verdict, no dossier, amount or payment.
    for who in ({}, stranger):
        back = api.get("/api/v1/payments/return", params={"MaThamChieu": reference}, headers=who)
        assert back.status_code == 200, back.text
        assert back.json()["payment"] is None and code not in back.text and "135000" not in back.text
    mine = api.get("/api/v1/payments/return", params={"MaThamChieu": reference}, headers=owner).json()
    assert mine["payment"]["dossier_code"] == code and mine["payment"]["amount"] == 135000
