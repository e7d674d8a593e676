"""Payment journeys as the people involved see them (issue 15), from a clean stack through the real
HTTP APIs: the citizen whose result comes back by post pays the postal fee (Điện Biên Điều 14.3) and
pays at the counter, where the handling agency's one-stop officer records it; the biên lai reaches
the dossier and the citizen's data store, the dossier moves on as after an online payment, and the
national portal lists the fees paid. An agency without a beneficiary account sees the dossier
waiting for it (so does the operator); once it configures the account the citizen is asked to pay.
The platform's callback refuses malformed messages with a problem, never a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from test_journey_notify import Accounts  # officers appointed as identity does (password by mail)

from dvc_devkit.devstack import Stack
from e2e_support import PDF, eventually, portal_record

DRIVING_LICENCE = "1.004946.000.00.00.H56"  # cấp giấy phép lái xe quốc tế, Sở Xây dựng: 135.000 đồng
CONSTRUCTION = "000.00.14.H56"
JUSTICE = "000.00.03.H56"  # Sở Tư pháp: no test gives it a beneficiary account before this one
JUSTICE_PROCEDURE = "2.000488.000.00.00.H56"  # phí 200.000 đồng


class People:
    """The people of these journeys: the operator, officers of an agency, citizens signed in with VNeID."""

    def __init__(self, stack: Stack) -> None:
        self.accounts = Accounts(stack)

    def operator(self) -> dict[str, str]:
        return self.accounts.operator

    def officer(self, agency: str, *roles: str) -> dict[str, str]:
        return self.accounts.officer(agency, list(roles), "Lò Thị Thu").headers

    def citizen(self, personal_id: str) -> dict[str, str]:
        return self.accounts.citizen(personal_id)


@pytest.fixture(scope="module")
def people(stack: Stack) -> People:
    return People(stack)


def account_of(name: str) -> dict[str, str]:
    return {
        "account_number": "3511.0.9990001",
        "account_name": name,
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
    }


def submit(stack: Stack, owner: dict[str, str], procedure: str, *, components: int = 1, **fields: Any) -> str:
    """Submitted online by `owner`: one file per component of the procedure, the e-form in `fields`."""
    form = {
        "procedure_code": procedure,
        "applicant_name": "Giàng Thị Mỷ",
        "email": "gtm@example.vn",
        **fields,
    }

    def submitted() -> httpx.Response | None:
        response = httpx.post(
            stack.url("intake") + "/api/v1/dossiers",
            data={"dossier": json.dumps(form, ensure_ascii=False)},
            files=[
                ("files", (f"thanh-phan-{n}.pdf", PDF, "application/pdf")) for n in range(1, components + 1)
            ],
            headers=owner,
            timeout=30,
        )
        return response if response.status_code != 422 or "unknown-procedure" not in response.text else None

    response = eventually(submitted, what=f"intake knows {procedure}")
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


def to_financial_obligation(stack: Stack, officer: dict[str, str], code: str) -> None:
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
    eventually(
        lambda: workflow.get(f"/api/v1/dossiers/{code}").status_code == 200, what="dossier in workflow"
    )
    accepted = workflow.post(f"/api/v1/dossiers/{code}/actions/accept", headers=officer)
    assert accepted.status_code == 200, accepted.text
    state: dict[str, Any] = {}
    for _ in range(6):
        state = workflow.post(f"/api/v1/dossiers/{code}/actions/forward", headers=officer).json()
        if state.get("status") == 6:
            break
    assert state["status"] == 6, state


def test_postal_fee_for_a_result_by_post_paid_in_cash_at_the_counter(stack: Stack, people: People) -> None:
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    operator = people.operator()
    officer = people.officer(
        CONSTRUCTION, "one_stop_officer", "processing_officer", "department_head", "agency_leader"
    )
    schedule = {
        "fees": [{"kind": "le_phi", "name": "Lệ phí cấp giấy phép lái xe quốc tế", "amount": 135000}],
        "postal_fee": 25000,
    }
    url = f"/api/v1/fee-schedules/{DRIVING_LICENCE}/{CONSTRUCTION}"

    def configured() -> httpx.Response | None:
        response = payments.put(url, json=schedule, headers=operator)
        return response if response.status_code == 200 else None  # 404 until the catalog reached payments

    put = eventually(configured, what="payments knows who performs the procedure")
    assert put.json()["postal_fee"] == 25000
    saved = payments.put(
        f"/api/v1/beneficiary-accounts/{CONSTRUCTION}", json=account_of("Sở Xây dựng"), headers=operator
    )
    assert saved.status_code == 200, saved.text
    owner = people.citizen("012345678901")
    # Submitted online; the result goes back by post: the postal fee is owed (not for how it came in).
    code = submit(
        stack,
        owner,
        DRIVING_LICENCE,
        components=2,
        eform={"ho_ten": "Giàng Thị Mỷ", "so_gplx": "790123456789", "hang": "B"},
        result_delivery="post",
        postal_address="Số 5, đường Trần Phú, Tân Phong",
    )
    to_financial_obligation(stack, officer, code)
    (request,) = eventually(
        lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=owner).json(),
        what="the citizen sees what to pay",
    )
    assert request["amount"] == 160000
    assert [(f["kind"], f["amount"]) for f in request["fee_lines"]] == [
        ("le_phi", 135000),
        ("buu_chinh", 25000),
    ]

    # The citizen pays in cash at the desk; only the handling agency's one-stop officer records it.
    counter = f"/api/v1/payments/{request['payment_id']}/counter"
    assert payments.post(counter, json={"method": "cash"}, headers=owner).status_code == 403
    other_desk = people.officer(JUSTICE, "one_stop_officer")
    assert payments.post(counter, json={"method": "cash"}, headers=other_desk).status_code == 404
    assert payments.post(counter, json={"method": "gold"}, headers=officer).status_code == 422
    paid = payments.post(counter, json={"method": "cash"}, headers=officer)
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid" and paid.json()["status_text"] == "Đã thanh toán"
    twice = payments.post(counter, json={"method": "cash"}, headers=officer)
    assert twice.status_code == 409 and "160.000 đ" in twice.json()["detail"]

    # The dossier moves on exactly as after an online payment.
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
    moved = eventually(
        lambda: (s := workflow.get(f"/api/v1/dossiers/{code}", headers=officer).json())["status"] != 6 and s,
        what="dossier moved on after the counter payment",
    )
    assert moved["status"] in (4, 9), moved
    receipt = payments.get(f"/api/v1/payments/{request['payment_id']}/receipt", headers=owner).json()
    assert receipt["document"]["HinhThucNop"] == "Tiền mặt" and receipt["document"]["SoTien"] == 160000
    assert receipt["signature_algorithm"] is None  # the agency's receipt, not a bank's
    # The biên lai is on the dossier and in the owner's data store at intake.
    intake = httpx.Client(base_url=stack.url("intake"), timeout=30)
    (kept,) = eventually(
        lambda: [
            r for r in intake.get("/api/v1/my/receipts", headers=owner).json() if r["dossier_code"] == code
        ],
        what="the receipt in the citizen's data store",
    )
    assert (kept["amount"], kept["receipt_number"]) == (160000, receipt["receipt_number"])
    assert kept["pdf_url"], "the biên lai is drawn"
    pdf = intake.get(kept["pdf_url"], headers=owner, follow_redirects=True)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The national portal lists the fees paid once the dossier moved on.
    def fees_on_portal() -> list[dict[str, Any]] | None:
        record = portal_record(stack, code)
        listed: list[dict[str, Any]] = record["current"].get("DanhSachLePhi", []) if record else []
        return listed or None

    listed = eventually(fees_on_portal, timeout=60, what="DanhSachLePhi on the national portal")
    assert [(f["TenPhiLePhi"], f["Gia"]) for f in listed] == [
        ("Lệ phí cấp giấy phép lái xe quốc tế", "135000"),
        ("Phí dịch vụ bưu chính trả kết quả", "25000"),
    ]


def test_a_missing_beneficiary_account_waits_visibly_then_the_citizen_is_asked_to_pay(
    stack: Stack, people: People
) -> None:
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    operator = people.operator()
    officer = people.officer(
        JUSTICE, "one_stop_officer", "processing_officer", "department_head", "agency_leader"
    )
    admin = people.officer(JUSTICE, "agency_admin")
    owner = people.citizen("011200004567")
    eform = {
        "ho_ten": "Giàng Thị Mỷ",
        "ngay_sinh": "1990-05-01",
        "so_dinh_danh": "011200004567",
        "muc_dich": "Xin việc",
    }
    code = submit(stack, owner, JUSTICE_PROCEDURE, eform=eform)
    to_financial_obligation(stack, officer, code)

    # No dead letter: the agency and the operator see a configuration problem naming the dossier.
    def waiting(headers: dict[str, str]) -> dict[str, Any] | None:
        found = payments.get("/api/v1/configuration-problems", headers=headers)
        assert found.status_code == 200, found.text
        return next((p for p in found.json() if p["dossier_code"] == code), None)

    problem = eventually(lambda: waiting(admin), what="the agency sees the dossier waiting for its account")
    assert problem["missing"] == "beneficiary_account" and "tài khoản thụ hưởng" in problem["message"]
    assert waiting(operator) is not None
    assert payments.get("/api/v1/configuration-problems", headers=owner).status_code == 403
    other_admin = people.officer(CONSTRUCTION, "agency_admin")
    assert waiting(other_admin) is None
    assert payments.get("/api/v1/payments", params={"dossier_code": code}, headers=owner).json() == []
    # Configuration names real agencies only (issue 16).
    unknown = payments.put(
        "/api/v1/beneficiary-accounts/999.99.99.H56", json=account_of("?"), headers=operator
    )
    assert unknown.status_code == 404 and unknown.json()["title"] == "Không tìm thấy cơ quan"

    saved = payments.put(
        f"/api/v1/beneficiary-accounts/{JUSTICE}", json=account_of("Sở Tư pháp"), headers=admin
    )
    assert saved.status_code == 200, saved.text
    (request,) = eventually(
        lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=owner).json(),
        what="the payment request once the account exists",
    )
    assert (request["amount"], request["status"], request["agency_id"]) == (200000, "awaiting", JUSTICE)
    assert waiting(admin) is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"SoTien": 1.5}',
        b"true",
        b"1e309",
        b"NaN",
        b'{"MaThamChieu": "TT\\u0000", "MaXacThuc": "00"}',
        b"[" * 10_000 + b"]" * 10_000,
    ],
    ids=["float-amount", "true", "1e309", "NaN", "NUL", "deep"],
)
def test_the_platform_callback_answers_malformed_messages_with_a_400_problem(
    stack: Stack, body: bytes
) -> None:
    response = httpx.post(
        stack.url("payments") + "/api/v1/payments/callback",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
