"""A dossier's whole life as the people in it see it (issue 15, "Done when"): from a clean stack, through
the real HTTP APIs as each actor (the provincial operator appoints the agency's administrator, who opens
the officer's account with a mailed temporary password; the citizen signs in with VNeID), each journey
asserts what the citizen receives: the statuses in order, the appointment, the slips as rendered, the
mails in the sandbox's sink, the data store and the national portal's record."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from test_e2e_payments import PASSWORD
from test_e2e_public_events_pii import ACCOUNT, NAME, Journey, Officers

from dvc_common.pdf.inspection import plain_text
from dvc_devkit.devstack import Stack
from e2e_support import PDF, eventually, mailed_password, mails_to, portal_record, vneid_headers

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# English codes a Vietnamese letter must not show ("Trả kết quả: online").
ENGLISH_CODES = re.compile(r"\b(online|counter|post)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+")
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


# Cấp bản sao trích lục hộ tịch: performed by every commune, a fee (8.000 đồng), one component, no
# e-form, and the result may be returned online.
PROCEDURE = "1.001656.000.00.00.H56"
AGENCY = "000.01.30.H56"  # Ủy ban nhân dân Phường Tân Phong


class Staff(Officers):
    """The pii journey's operator → agency administrator → officer, at the commune."""

    def _open(self, by: dict[str, str], who: str, name: str, roles: list[str]) -> dict[str, str]:
        username = f"e2e.life.{who}{self.suffix}"
        body = {
            "username": username,
            "agency_id": AGENCY,
            "full_name": name,
            "position": "Công chức",
            "email": self.email(who),
            "roles": roles,
        }
        created = httpx.post(
            self.stack.url("identity") + "/api/v1/officers", json=body, headers=by, timeout=30
        )
        assert created.status_code == 201, created.text
        changed = httpx.post(
            self.stack.url("identity") + "/api/v1/auth/password",
            json={
                "username": username,
                "current_password": mailed_password(self.stack, self.email(who)),
                "new_password": PASSWORD,
            },
            timeout=30,
        )
        assert changed.status_code == 200, changed.text
        return {"Authorization": f"Bearer {changed.json()['access_token']}"}


def configure(payments: httpx.Client, operator: dict[str, str]) -> None:
    account = {
        "account_number": "3511.0.1016560",
        "account_name": "Ủy ban nhân dân Phường Tân Phong",
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
    }
    saved = payments.put(f"/api/v1/beneficiary-accounts/{AGENCY}", json=account, headers=operator)
    assert saved.status_code == 200, saved.text
    schedule = eventually(
        lambda: payments.get(f"/api/v1/fee-schedules/{PROCEDURE}/{AGENCY}").json(), what="fee schedule"
    )
    assert schedule[0]["fees"][0]["amount"] == 8000, schedule


class Life(Journey):
    """The pii journey's actors and steps, with a mailbox of the dossier's own."""

    def __init__(self, stack: Stack, officer: dict[str, str], citizen: dict[str, str]) -> None:
        super().__init__(stack, officer, citizen)
        self.email = f"an.{uuid.uuid4().hex[:8]}@example.vn"

    def submit(self) -> str:
        form = {
            "procedure_code": PROCEDURE,
            "agency_id": AGENCY,
            "applicant_name": NAME,
            "email": self.email,
            "phone": "0987001122",
        }

        def submitted() -> httpx.Response | None:
            response = self.intake.post(
                "/api/v1/dossiers",
                data={"dossier": json.dumps(form, ensure_ascii=False)},
                files=[
                    ("files", ("to-khai.pdf", PDF + b"%to-khai", "application/pdf")),
                ],
                headers=self.citizen,
            )
            return response if response.status_code == 201 else None

        code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
        eventually(
            lambda: self.workflow.get(f"/api/v1/dossiers/{code}").status_code == 200, what="in workflow"
        )
        return code

    def refused(self, code: str, action: str, **body: Any) -> dict[str, Any]:
        response = self.workflow.post(
            f"/api/v1/dossiers/{code}/actions/{action}", json=body or None, headers=self.officer
        )
        assert response.status_code in (409, 422), f"{action}: {response.status_code} {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json")
        problem: dict[str, Any] = response.json()
        assert VIETNAMESE.search(problem.get("detail") or ""), problem
        return problem

    def statuses(self, code: str) -> list[int]:
        timeline = self.workflow.get(f"/api/v1/dossiers/{code}/timeline", headers=self.citizen)
        assert timeline.status_code == 200, timeline.text
        return [entry["status"] for entry in timeline.json()["lifecycle"]["history"]]

    def slip_text(self, code: str, form: str) -> str:
        def listed() -> dict[str, Any] | None:
            slips = self.intake.get(f"/api/v1/dossiers/{code}/slips", headers=self.citizen).json()
            return next((s for s in slips if s["form"] == form), None)

        slip = eventually(listed, timeout=60, what=f"Mẫu {form} of {code}")
        got = self.intake.get(slip["url"], headers=self.citizen, follow_redirects=True)
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf", got.text
        return plain_text(got.content)

    def mails(self) -> list[dict[str, Any]]:
        return [
            {
                **m,
                "text": httpx.get(self.stack.url("sandbox") + f"/mail/{m['id']}", timeout=10).json()["text"],
            }
            for m in mails_to(self.stack, self.email)
        ]

    def mail_where(self, what: str, found: Any) -> dict[str, Any]:
        def arrived() -> dict[str, Any] | None:
            return next((m for m in self.mails() if found(m["subject"] + "\n" + m["text"])), None)

        mail: dict[str, Any] = eventually(arrived, timeout=60, what=what)
        return mail

    def portal_at(self, code: str, status: int) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            record = portal_record(self.stack, code)
            return record if record and int(record["current"]["TrangThaiHoSo"]) == status else None

        record: dict[str, Any] = eventually(reached, timeout=90, what=f"portal record of {code} at {status}")
        return record


def _people(stack: Stack) -> tuple[dict[str, str], Life]:
    operator, _, officer = Staff(stack).set_up()
    life = Life(stack, officer, vneid_headers(stack, ACCOUNT))
    configure(life.payments, operator)
    return operator, life


def _procedure_name(stack: Stack) -> str:
    name: str = httpx.get(stack.url("intake") + f"/api/v1/procedures/{PROCEDURE}", timeout=10).json()["name"]
    assert name and name != PROCEDURE
    return name


def _vietnamese_letters_only(mails: list[dict[str, Any]], procedure_name: str) -> None:
    """Every mail about the dossier names the procedure by name, never by code, and shows no English code."""
    assert mails
    for mail in mails:
        text = URL.sub("", mail["subject"] + "\n" + mail["text"])
        assert PROCEDURE not in text, f"the procedure's code in {mail['subject']!r}: {text}"
        assert procedure_name in text, f"no procedure name in {mail['subject']!r}: {text}"
        assert not ENGLISH_CODES.search(text), f"English code in {mail['subject']!r}: {text}"


def test_online_journey_with_the_result_returned_online(stack: Stack) -> None:
    _, life = _people(stack)
    procedure_name = _procedure_name(stack)
    code = life.submit()
    accepted = life.act(code, "accept")
    assert accepted["status"] == 2 and accepted["appointment_at"], accepted

    # The appointment, with its explanation in Vietnamese.
    timeline = life.workflow.get(f"/api/v1/dossiers/{code}/timeline", headers=life.citizen).json()
    assert timeline["lifecycle"]["appointment_at"], timeline
    explained = json.dumps(timeline["deadline"], ensure_ascii=False) + (timeline["clock"] or "")
    assert VIETNAMESE.search(explained), timeline

    # The receipt (Mẫu 01) names the procedure.
    receipt = life.slip_text(code, "01")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt, receipt
    assert procedure_name in " ".join(receipt.split()), receipt

    life.forward_until(code, 6)
    life.pay(code)
    life.forward_until(code, 9)

    # Returned online before the electronic result is attached: refused, in Vietnamese, nothing changed.
    problem = life.refused(code, "return_result", delivery_method="online")
    assert problem["type"].endswith("/result-document-required"), problem
    assert life.workflow.get(f"/api/v1/dossiers/{code}").json()["status"] == 9

    attached = life.intake.post(
        f"/api/v1/dossiers/{code}/results",
        files=[("files", ("ban-sao-trich-luc.pdf", PDF + b"%ket-qua", "application/pdf"))],
        headers=life.officer,
    )
    assert attached.status_code == 201, attached.text

    def returned() -> dict[str, Any] | None:
        response = life.workflow.post(
            f"/api/v1/dossiers/{code}/actions/return_result",
            json={"delivery_method": "online"},
            headers=life.officer,
        )
        return response.json() if response.status_code == 200 else None

    final = eventually(returned, timeout=60, what="workflow knows the result is attached")
    assert final["status"] == 10, final

    # The statuses the citizen sees, in order.
    # (this commune's process: receive → payment → result; attaching the result is its own entry at 9)
    history = life.statuses(code)
    assert history == [1, 2, 6, 9, 9, 10], history
    entries = life.workflow.get(f"/api/v1/dossiers/{code}/timeline", headers=life.citizen).json()
    assert entries["lifecycle"]["history"][4]["action"] == "result_attached", entries

    # The result in the citizen's data store.
    def stored() -> list[dict[str, Any]] | None:
        documents = life.intake.get("/api/v1/my/documents", headers=life.citizen).json()
        return [d for d in documents if d["dossier_code"] == code and d["name"] == "ban-sao-trich-luc.pdf"]

    (document,) = eventually(stored, what="the result in the citizen's data store")
    got = life.intake.get(document["url"], headers=life.citizen, follow_redirects=True)
    assert got.status_code == 200 and got.content == PDF + b"%ket-qua"

    # The mails: the procedure by name, no English codes; the last one tells the result is returned.
    life.mail_where("the result mail", lambda text: "Đã trả kết quả" in text or "trả kết quả" in text.lower())
    _vietnamese_letters_only(life.mails(), procedure_name)

    # The national portal: the final status, the fee paid and the result document.
    record = life.portal_at(code, 10)["current"]
    assert record["DanhSachLePhi"], record
    assert record["DanhSachGiayToKetQua"], record


def _portal_follows(life: Life, code: str) -> dict[str, Any]:
    """The portal's record at the status workflow shows the citizen."""
    status = life.workflow.get(f"/api/v1/dossiers/{code}").json()["status"]
    record: dict[str, Any] = life.portal_at(code, status)["current"]
    return record


def test_rejection_gives_the_refusal_notice_and_a_mail_with_the_reason(stack: Stack) -> None:
    _, life = _people(stack)
    procedure_name = _procedure_name(stack)
    code = life.submit()
    reason = "Hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân nơi đăng ký hộ tịch trước đây"
    rejected = life.act(code, "reject", reason=reason)
    assert rejected["status"] == 3, rejected
    assert life.statuses(code) == [1, 3]

    refusal = " ".join(life.slip_text(code, "03").split())
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal, refusal
    assert reason in refusal, refusal
    life.mail_where("the refusal mail", lambda text: reason in text)
    _vietnamese_letters_only(life.mails(), procedure_name)
    assert int(_portal_follows(life, code)["TrangThaiHoSo"]) == 3


def test_withdrawal_by_the_citizen(stack: Stack) -> None:
    _, life = _people(stack)
    procedure_name = _procedure_name(stack)
    code = life.submit()
    life.act(code, "accept")
    withdrawn = life.workflow.post(
        f"/api/v1/dossiers/{code}/actions/withdraw",
        json={"reason": "Tôi không còn nhu cầu cấp bản sao"},
        headers=life.citizen,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    final = withdrawn.json()["status"]
    assert final not in (1, 2), withdrawn.json()
    assert life.statuses(code) == [1, 2, final]
    life.mail_where("the withdrawal mail", lambda text: "rút" in text.lower())
    _vietnamese_letters_only(life.mails(), procedure_name)
    assert int(_portal_follows(life, code)["TrangThaiHoSo"]) == final


def test_extension_once_with_the_apology(stack: Stack) -> None:
    _, life = _people(stack)
    code = life.submit()
    before = datetime.fromisoformat(life.act(code, "accept")["appointment_at"])
    extended = life.act(
        code,
        "extend",
        reason="Cần xác minh thông tin hộ tịch",
        extension={"value": 2, "unit": "working_days"},
    )
    after = datetime.fromisoformat(extended["appointment_at"])
    assert after > before, (before, after)
    assert extended["extension_used"] is True

    apology = " ".join(life.slip_text(code, "04").split())
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology, apology
    assert "Lý do: Cần xác minh thông tin hộ tịch" in apology, apology
    local = after.astimezone(TZ)
    life.mail_where("the apology mail", lambda text: "xin lỗi" in text and f"{local:%d/%m/%Y}" in text)

    # A second extension is refused in Vietnamese and changes nothing.
    life.refused(code, "extend", reason="Lần nữa", extension={"value": 1, "unit": "working_days"})
    again = life.workflow.get(f"/api/v1/dossiers/{code}").json()
    assert datetime.fromisoformat(again["appointment_at"]) == after


def test_a_new_process_version_supersedes_the_first_and_new_dossiers_follow_it(stack: Stack) -> None:
    operator, life = _people(stack)
    where = f"/api/v1/procedures/{PROCEDURE}/processes/{AGENCY}"
    (first,) = eventually(lambda: life.workflow.get(where, headers=life.officer).json(), what="the process")
    assert first["in_force"], first
    old_code = life.submit()

    # The operator publishes a second version: a check step between the receipt and what followed it.
    steps = first["definition"]["steps"]
    check = {
        "id": "doi_chieu",
        "name": "Đối chiếu sổ hộ tịch",
        "role": "processing_officer",
        "budget": {"value": 1, "unit": "working_hours"},
        "next": list(steps[0]["next"]),
    }
    definition = {**first["definition"], "steps": [{**steps[0], "next": ["doi_chieu"]}, check, *steps[1:]]}
    draft = life.workflow.post(where, json=definition, headers=operator)
    assert draft.status_code == 201, draft.text
    published = life.workflow.post(f"/api/v1/processes/{draft.json()['id']}/publish", headers=operator)
    assert published.status_code == 200, published.text

    versions = {p["id"]: p for p in life.workflow.get(where, headers=life.officer).json()}
    assert versions[draft.json()["id"]]["in_force"] and versions[draft.json()["id"]]["version"] == 2
    old = versions[first["id"]]
    assert not old["in_force"] and old["superseded_at"], old
    assert [p["id"] for p in versions.values() if p["in_force"]] == [draft.json()["id"]]

    # A new dossier goes through the new step; the one opened before keeps the first version.
    code = life.submit()
    received = life.act(code, "accept")
    assert received["step_id"] == "doi_chieu", received
    assert life.act(code, "forward")["step_id"] == steps[0]["next"][0]
    assert life.forward_until(code, 6)["status"] == 6
    assert life.act(old_code, "accept")["step_id"] == steps[0]["next"][0]
