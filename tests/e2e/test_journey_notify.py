"""What people receive from notify, on the real path: officers appointed through identity get their
temporary password by mail; the one-stop desk is told of a new online dossier and of a supplement;
the applicant's letters name the procedure (not its code), speak Vietnamese (no "online") and format
money as "135.000 đ"; a payment of the wrong amount and one made after withdrawal are told truthfully
(money taken, refunded), never "not charged". Every mail is read as the SMTP sink received it.

`Accounts` (officers appointed as identity does it) is shared with the Q&A journey and the
security tests of notify.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from dvc_devkit.devstack import Stack
from e2e_support import PDF, db_scalar, eventually, mailed_password, mails_to

PASSWORD = "Lai-Chau-Thong-Bao-2026!"
PROCEDURE = "1.004946.000.00.00.H56"  # Cấp giấy phép lái xe quốc tế: lệ phí 135.000 đồng
PROCEDURE_NAME = "Cấp giấy phép lái xe quốc tế"
AGENCY = "000.00.14.H56"  # Sở Xây dựng performs it
CENTRE = "000.01.01.H56"  # the provincial public-service centre receives for the departments
EFORM = {"ho_ten": "Giàng Thị Mỷ", "so_gplx": "AB123456", "hang": "B"}


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    assert "access_token" in tokens, tokens
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def mail_text(stack: Stack, mail: dict[str, Any]) -> dict[str, Any]:
    """The whole mail as the sink received it (subject, text, html, headers)."""
    full: dict[str, Any] = httpx.get(stack.url("sandbox") + f"/mail/{mail['id']}", timeout=10).json()
    return full


def wait_mail(stack: Stack, address: str, words: str, *, what: str) -> dict[str, Any]:
    """The first mail to `address` whose subject contains `words`, read in full."""
    found = eventually(
        lambda: next((m for m in mails_to(stack, address) if words in m["subject"]), None),
        timeout=60,
        what=what,
    )
    return mail_text(stack, found)


@dataclass(frozen=True)
class Officer:
    headers: dict[str, str]
    id: str
    username: str
    email: str
    temporary_password: str
    created: dict[str, Any]


class Accounts:
    """Officers made as identity makes them: the CLI bootstraps an operator, who appoints each
    agency's administrator, who appoints officers; each temporary password arrives by mail."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.identity = httpx.Client(base_url=stack.url("identity"), timeout=30)
        suffix = uuid.uuid4().hex[:6]
        username = f"tb.quantri{suffix}"
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", username],
            env=stack.env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        self.operator = self.first_login(username, temporary)
        self._admins: dict[str, dict[str, str]] = {}

    def first_login(self, username: str, temporary: str) -> dict[str, str]:
        response = self.identity.post(
            "/api/v1/auth/password",
            json={"username": username, "current_password": temporary, "new_password": PASSWORD},
        )
        assert response.status_code == 200, response.text
        return bearer(response.json())

    def admin(self, agency: str) -> dict[str, str]:
        if agency not in self._admins:
            self._admins[agency] = self.appoint(
                self.operator, agency, ["agency_admin"], "Quản trị cơ quan"
            ).headers
        return self._admins[agency]

    def appoint(self, by: dict[str, str], agency: str, roles: list[str], name: str, **extra: Any) -> Officer:
        username = f"tb.{uuid.uuid4().hex[:8]}"
        email = f"{username}@laichau.gov.vn"
        created = self.identity.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": username,
                "agency_id": agency,
                "full_name": name,
                "position": "Công chức",
                "roles": roles,
                "email": email,
                **extra,
            },
        )
        assert created.status_code == 201, created.text
        body: dict[str, Any] = created.json()
        temporary = mailed_password(self.stack, email)
        officer_id = str((body.get("officer") or body).get("id"))
        return Officer(self.first_login(username, temporary), officer_id, username, email, temporary, body)

    def officer(self, agency: str, roles: list[str], name: str, **extra: Any) -> Officer:
        return self.appoint(self.admin(agency), agency, roles, name, **extra)

    def citizen(self, personal_id: str = "011300009876") -> dict[str, str]:
        start = self.identity.get("/api/v1/citizen/login")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": personal_id, "decision": "allow"},
            timeout=30,
        )
        done = self.identity.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        return bearer(done.json())


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> Accounts:
    return Accounts(stack)


def submit_online(stack: Stack, citizen: dict[str, str], email: str) -> str:
    form = {
        "procedure_code": PROCEDURE,
        "agency_id": AGENCY,
        "applicant_name": "Giàng Thị Mỷ",
        "email": email,
        "eform": EFORM,
    }

    def submitted() -> httpx.Response | None:
        response = httpx.post(
            stack.url("intake") + "/api/v1/dossiers",
            data={"dossier": json.dumps(form, ensure_ascii=False)},
            files=[
                ("files", ("to-khai.pdf", PDF, "application/pdf")),
                ("files", ("ho-chieu.pdf", PDF, "application/pdf")),
            ],
            headers=citizen,
            timeout=30,
        )
        return response if response.status_code == 201 else None

    code: str = eventually(submitted, timeout=60, what="intake knows the procedure").json()["code"]
    workflow = stack.url("workflow")
    eventually(
        lambda: httpx.get(f"{workflow}/api/v1/dossiers/{code}", timeout=30).status_code == 200,
        what="the dossier in workflow",
    )
    return code


def act(stack: Stack, code: str, action: str, headers: dict[str, str], **body: Any) -> httpx.Response:
    return httpx.post(
        stack.url("workflow") + f"/api/v1/dossiers/{code}/actions/{action}",
        json=body or None,
        headers=headers,
        timeout=30,
    )


def no_english_codes(text: str) -> None:
    for code in ("online", "counter", "post", "processing", "intake", "amount_mismatch", "VND", " đồng"):
        assert not re.search(rf"(?<![\w/.:-]){re.escape(code.strip())}(?![\w/.-])", text), (code, text)


def test_one_stop_desk_told_of_a_new_online_dossier_and_of_its_supplement(
    stack: Stack, accounts: Accounts
) -> None:
    desk = accounts.officer(CENTRE, ["one_stop_officer"], "Lò Thị Mai")
    handler = accounts.officer(
        AGENCY,
        ["one_stop_officer", "processing_officer", "department_head", "agency_leader"],
        "Nguyễn Văn Bình",
    )
    citizen = accounts.citizen()
    applicant = f"ad.{uuid.uuid4().hex[:6]}@example.vn"
    code = submit_online(stack, citizen, applicant)

    new = wait_mail(stack, desk.email, code, what="the desk's letter about the new online dossier")
    assert new["subject"] == f"Hồ sơ trực tuyến mới chờ tiếp nhận: {code}"
    assert "Kính gửi Ông/Bà Lò Thị Mai" in new["text"]
    assert f"(thủ tục {PROCEDURE_NAME}, cơ quan giải quyết: Sở Xây dựng tỉnh Lai Châu)" in new["text"], new[
        "text"
    ]
    assert "8 giờ làm việc" in new["text"] and f"/can-bo/ho-so/{code}" in new["text"]
    assert PROCEDURE not in new["text"]

    # Received, then a supplement asked and uploaded: the desk hears that the supplement arrived.
    assert any(act(stack, code, "accept", h).status_code == 200 for h in (desk.headers, handler.headers))
    assert act(stack, code, "forward", handler.headers).status_code == 200
    asked = act(
        stack,
        code,
        "request_supplement",
        handler.headers,
        reason="Ảnh chưa đúng cỡ",
        items=["Ảnh 4x6 nền trắng"],
    )
    assert asked.status_code == 200, asked.text

    def supplemented() -> bool:
        response = httpx.post(
            stack.url("intake") + f"/api/v1/dossiers/{code}/supplements",
            files=[("files", ("anh-4x6.pdf", PDF, "application/pdf"))],
            headers=citizen,
            timeout=30,
        )
        return response.status_code == 201

    eventually(supplemented, what="intake accepts the supplement")
    back = wait_mail(stack, desk.email, "đã nộp bổ sung", what="the desk's letter about the supplement")
    assert back["subject"] == f"Hồ sơ {code}: đã nộp bổ sung (lần 1)"
    assert PROCEDURE_NAME in back["text"] and "(1 tệp)" in back["text"]

    # The applicant's own letters name the procedure and use no codes.
    received = wait_mail(stack, applicant, "Được tiếp nhận", what="the applicant's receipt letter")
    assert f"(thủ tục {PROCEDURE_NAME})" in received["text"], received["text"]
    no_english_codes(received["text"])


def test_payment_letters_say_what_happened_to_the_money(stack: Stack, accounts: Accounts) -> None:
    """135.000 đ asked; the bank takes 134.000 đ: one letter says it was taken and will be refunded
    and asks for 135.000 đ again (no 'not charged'); paid after the dossier was withdrawn: refunded."""
    handler = accounts.officer(
        AGENCY,
        ["one_stop_officer", "processing_officer", "department_head", "agency_leader"],
        "Nguyễn Văn Bình",
    )
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    account = {
        "account_number": "3511.0.1049460",
        "account_name": "Sở Xây dựng tỉnh Lai Châu",
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
    }
    put = payments.put(f"/api/v1/beneficiary-accounts/{AGENCY}", json=account, headers=accounts.operator)
    assert put.status_code == 200, put.text
    citizen = accounts.citizen()

    def awaiting_payment(email: str) -> tuple[str, dict[str, Any]]:
        code = submit_online(stack, citizen, email)
        assert act(stack, code, "accept", handler.headers).status_code == 200
        state: dict[str, Any] = {}
        for _ in range(6):
            state = act(stack, code, "forward", handler.headers).json()
            if state.get("status") == 6:
                break
        assert state.get("status") == 6, state
        (request,) = eventually(
            lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=citizen).json(),
            what="the payment request",
        )
        started = payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=citizen)
        assert started.status_code == 200, started.text
        return code, started.json()

    # The wrong amount.
    email = f"tt.{uuid.uuid4().hex[:6]}@example.vn"
    code, started = awaiting_payment(email)
    asked = wait_mail(stack, email, "đề nghị nộp", what="the fee letter")
    assert asked["subject"] == f"Hồ sơ {code}: đề nghị nộp 135.000 đ"
    assert f"(thủ tục {PROCEDURE_NAME})" in asked["text"]
    bank = httpx.get(started["pay_url"], params={"outcome": "mismatched_amount"}, timeout=30)
    assert bank.status_code == 303
    httpx.get(bank.headers["location"], timeout=30)
    refund = wait_mail(stack, email, "hoàn trả", what="the letter about the wrong amount")
    assert refund["subject"] == f"Hồ sơ {code}: khoản 134.000 đ sẽ được hoàn trả"
    text = refund["text"]
    for expected in (
        "không khớp số tiền phải nộp là 135.000 đ",
        "Tài khoản của Ông/Bà đã bị trừ 134.000 đ; khoản này sẽ được đối soát và hoàn trả.",
        "thanh toán lại đúng số tiền 135.000 đ",
        PROCEDURE_NAME,
    ):
        assert expected in text, (expected, text)
    no_english_codes(text)
    # The failure event of that attempt was handled too, and gave no "not charged" letter.
    failed = eventually(
        lambda: db_scalar(
            stack,
            "payments",
            "SELECT event_id FROM outbox_message WHERE routing_key = 'payment.failed.v1' AND subject = $1",
            code,
        ),
        what="payments reported the failed attempt",
    )
    eventually(
        lambda: db_scalar(stack, "notify", "SELECT count(*) FROM inbox_message WHERE event_id = $1", failed),
        what="notify handled the payment failure",
    )
    letters = [m["subject"] for m in mails_to(stack, email)]
    assert not [s for s in letters if "chưa thành công" in s], letters
    assert "chưa bị trừ tiền" not in text

    # Paid at the bank after the applicant withdrew the dossier.
    email = f"rut.{uuid.uuid4().hex[:6]}@example.vn"
    code, started = awaiting_payment(email)
    withdrawn = act(stack, code, "withdraw", citizen, reason="Tôi không còn nhu cầu")
    assert withdrawn.status_code == 200, withdrawn.text
    eventually(
        lambda: (
            payments.get("/api/v1/payments", params={"dossier_code": code}, headers=citizen).json()[0][
                "status"
            ]
            == "cancelled"
        ),
        what="the fee cancelled after the withdrawal",
    )
    bank = httpx.get(started["pay_url"], params={"outcome": "success"}, timeout=30)
    assert bank.status_code == 303
    httpx.get(bank.headers["location"], timeout=30)
    refund = wait_mail(stack, email, "hoàn trả", what="the letter about money paid after withdrawal")
    assert refund["subject"] == f"Hồ sơ {code}: khoản 135.000 đ sẽ được hoàn trả"
    assert "đã được rút hoặc đã dừng xử lý, nên không thu phí, lệ phí" in refund["text"]
    assert (
        "Tài khoản của Ông/Bà đã bị trừ 135.000 đ; khoản này sẽ được đối soát và hoàn trả" in refund["text"]
    )
    no_english_codes(refund["text"])
