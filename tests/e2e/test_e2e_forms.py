"""The official forms through the real lifecycle, in the whole stack: a citizen signed in with VNeID
submits at intake, officers (accounts from identity) drive the dossier through workflow: receipt
(Mẫu 01), supplement request (02), the receipt after the supplement (01, round 1), extension (04, with
the apology mail), payment on the platform simulator (the biên lai), and on other dossiers a
refusal (03) and a stop (05); workflow serves the control slip (06) and the register (07, PDF and
XLSX). Each form is downloaded through the API by someone allowed to, rendered to PNG (kept in
DVC_FORMS_PNG_DIR when set), checked to lie on the page, and read for its fields; others get 404/403.
The QR drawn on each slip is read back: it is this stack's public web look-up page of the dossier,
which answers in HTML without personal data; the apology mail links to the same page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

from dvc_common.pdf import qr_matrix
from dvc_common.pdf.inspection import drawn_qr_codes, misplaced_lines, plain_text, render_png
from dvc_devkit.devstack import Stack
from e2e_support import DRIVING_LICENCE_EFORM, PASSPORT_COPY, PDF, eventually, mailed_password, mails_to

PASSWORD = "Lai-Chau-2026-bieu-mau!"
PROCEDURE = "1.004946.000.00.00.H56"  # Cấp giấy phép lái xe quốc tế: 5 ngày làm việc, lệ phí 135.000 đồng
COMPONENTS = ("Tờ khai đề nghị cấp giấy phép lái xe quốc tế", "Bản sao hộ chiếu")
AGENCY = "000.00.14.H56"
OTHER_AGENCY = "000.00.03.H56"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    assert "access_token" in tokens, tokens
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _officer(
    stack: Stack,
    client: httpx.Client,
    by: dict[str, str],
    username: str,
    name: str,
    roles: list[str],
    agency: str = AGENCY,
) -> dict[str, str]:
    created = client.post(
        "/api/v1/officers",
        headers=by,
        json={
            "username": username,
            "agency_id": agency,
            "full_name": name,
            "position": "Công chức",
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
    return _bearer(tokens)


class People:
    """The operator, the one-stop officer and the leader of Sở Xây dựng, an officer of Sở Tư pháp, the
    citizen who submits and another citizen."""

    def __init__(self, stack: Stack) -> None:
        suffix = uuid.uuid4().hex[:6]
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", f"e2e.bm{suffix}"],
            env=stack.env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        with httpx.Client(base_url=stack.url("identity"), timeout=30) as client:
            self.operator = _bearer(
                client.post(
                    "/api/v1/auth/password",
                    json={
                        "username": f"e2e.bm{suffix}",
                        "current_password": temporary,
                        "new_password": PASSWORD,
                    },
                ).json()
            )
            admin = _officer(
                stack, client, self.operator, f"e2e.bmqt{suffix}", "Quản trị Sở Xây dựng", ["agency_admin"]
            )
            self.one_stop = _officer(
                stack, client, admin, f"e2e.bmmc{suffix}", "Lò Văn Tâm", ["one_stop_officer"]
            )
            self.leader = _officer(
                stack,
                client,
                admin,
                f"e2e.bmld{suffix}",
                "Nguyễn Văn Bình",
                ["processing_officer", "department_head", "agency_leader"],
            )
            other_admin = _officer(
                stack,
                client,
                self.operator,
                f"e2e.bmqt2{suffix}",
                "Quản trị Sở Tư pháp",
                ["agency_admin"],
                OTHER_AGENCY,
            )
            self.elsewhere = _officer(
                stack,
                client,
                other_admin,
                f"e2e.bmtp{suffix}",
                "Cán bộ Sở Tư pháp",
                ["one_stop_officer"],
                OTHER_AGENCY,
            )
            self.citizen = self._citizen(client, "011300009876")
            self.stranger = self._citizen(client, "012345678901")

    @staticmethod
    def _citizen(client: httpx.Client, account: str) -> dict[str, str]:
        start = client.get("/api/v1/citizen/login")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": account, "decision": "allow"},
            timeout=30,
        )
        done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        return _bearer(done.json())


@pytest.fixture(scope="module")
def people(stack: Stack) -> People:
    return People(stack)


def _png_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("DVC_FORMS_PNG_DIR") or tmp_path)


def _read(pdf: bytes, name: str, directory: Path) -> str:
    """Rendered to PNG, every line on the page, and the text for the field checks."""
    assert pdf.startswith(b"%PDF-")
    assert render_png(pdf, directory, name), name
    assert misplaced_lines(pdf) == [], f"{name}: text off the page or in its margin"
    return plain_text(pdf)


class Dossier:
    def __init__(self, stack: Stack, people: People, email: str, **choices: str) -> None:
        self.stack, self.people = stack, people
        self.intake = httpx.Client(base_url=stack.url("intake"), timeout=30)
        self.workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
        form = {
            "procedure_code": PROCEDURE,
            "applicant_name": "Giàng Thị Mỷ",
            "email": email,
            "phone": "0912345678",
            "eform": DRIVING_LICENCE_EFORM,
            **choices,
        }

        def submitted() -> httpx.Response | None:
            response = self.intake.post(
                "/api/v1/dossiers",
                data={"dossier": json.dumps(form, ensure_ascii=False)},
                files=[("files", ("to-khai.pdf", PDF, "application/pdf")), ("files", PASSPORT_COPY)],
                headers=people.citizen,
            )
            return response if response.status_code == 201 else None

        self.code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
        eventually(
            lambda: self.workflow.get(f"/api/v1/dossiers/{self.code}").status_code == 200, what="in workflow"
        )
        self.lookup_page = f"{stack.url('portal')}/tra-cuu/{self.code}"  # this stack's portal, not a default

    def act(self, action: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        response = self.workflow.post(
            f"/api/v1/dossiers/{self.code}/actions/{action}", json=body or None, headers=headers
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def slip(self, form: str, nth: int = 1) -> dict[str, Any]:
        """The nth slip of `form` once intake has drawn it (as the citizen lists them)."""

        def listed() -> dict[str, Any] | None:
            slips = self.intake.get(f"/api/v1/dossiers/{self.code}/slips", headers=self.people.citizen).json()
            found = [s for s in slips if s["form"] == form]
            return found[nth - 1] if len(found) >= nth else None

        slip: dict[str, Any] = eventually(listed, what=f"Mẫu {form} #{nth} of {self.code}")
        return slip

    def download(self, slip: dict[str, Any], directory: Path, name: str, *, qr: bool = True) -> str:
        """The slip as the citizen downloads it, read; its QR code (Mẫu 01–05) is the look-up page."""
        got = self.intake.get(
            slip["url"], headers=self.people.citizen, follow_redirects=True
        )  # S3: a short link
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
        for other in (self.people.stranger, self.people.elsewhere):
            assert self.intake.get(slip["url"], headers=other).status_code == 404
        text = _read(got.content, name, directory)
        if qr:
            assert drawn_qr_codes(got.content) == [qr_matrix(self.lookup_page, border=0)], name
            assert f"Tra cứu tình trạng hồ sơ: {self.lookup_page}" in text, name
        return text

    def open_lookup_page(self) -> None:
        """What a phone that scans the QR opens: the public web page, in HTML, no personal data."""
        page = httpx.get(self.lookup_page, timeout=30)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert f"Hồ sơ {self.code}" in page.text and "Cấp giấy phép lái xe quốc tế" in page.text
        assert "Giàng Thị Mỷ" not in page.text and "0912345678" not in page.text
        assert "@example.vn" not in page.text


def _field(text: str, label: str) -> str:
    """The value of `label: value` on a form (up to the year of its date)."""
    found = re.search(rf"{re.escape(label)}: (.+? năm \d{{4}})", text)
    assert found is not None, label
    return found.group(1)


def _day(value: str) -> str:
    """`06 giờ 48 phút, ngày 02 tháng 12 năm 2026` as the letters write the day: `02/12/2026`."""
    found = re.search(r"ngày (\d{2}) tháng (\d{2}) năm (\d{4})", value)
    assert found is not None, value
    return "/".join(found.groups())


def _beneficiary_account(stack: Stack, people: People) -> None:
    """The accountant's account for the agency (before the dossier reaches its payment step)."""
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    account = {
        "account_number": "3511.0.1049460",
        "account_name": "Sở Xây dựng tỉnh Lai Châu",
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước tỉnh Lai Châu",
    }
    saved = payments.put(f"/api/v1/beneficiary-accounts/{AGENCY}", json=account, headers=people.operator)
    assert saved.status_code == 200, saved.text
    eventually(
        lambda: payments.get(f"/api/v1/fee-schedules/{PROCEDURE}/{AGENCY}").json(),
        what="catalog fee schedule",
    )


def _pay(stack: Stack, people: People, dossier: Dossier) -> None:
    """The citizen pays the catalog's fee on the bank's page."""
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    (request,) = eventually(
        lambda: payments.get(
            "/api/v1/payments", params={"dossier_code": dossier.code}, headers=people.citizen
        ).json(),
        what="payment request",
    )
    started = payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=people.citizen)
    assert started.status_code == 200, started.text
    bank = httpx.get(started.json()["pay_url"], params={"outcome": "success"}, timeout=30)
    assert httpx.get(bank.headers["location"], timeout=30).json()["verdict"] in ("paid", "already_paid")


POSTAL_ADDRESS = "Bản Sin Suối Hồ, xã Sin Suối Hồ, tỉnh Lai Châu"


def test_every_form_of_a_dossier_driven_by_officers(stack: Stack, people: People, tmp_path: Path) -> None:
    pngs, email = _png_dir(tmp_path), f"my.{uuid.uuid4().hex[:6]}@example.vn"
    dossier = Dossier(stack, people, email, result_delivery="post", postal_address=POSTAL_ADDRESS)
    code = dossier.code

    # Mẫu 01 on receipt: the procedure's components, the officer, the QR of the look-up page.
    dossier.act("accept", people.one_stop)
    receipt = dossier.download(dossier.slip("01"), pngs, "e2e-mau-01")
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "SỞ XÂY DỰNG TỈNH LAI CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Châu, ngày",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {code}",
        "Tiếp nhận hồ sơ của: Giàng Thị Mỷ",
        "Nội dung yêu cầu giải quyết: Cấp giấy phép lái xe quốc tế",
        *COMPONENTS,
        "Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc",
        "4. Thời gian nhận hồ sơ:",
        "5. Thời gian trả kết quả giải quyết hồ sơ:",
        "Cách tính thời hạn:",
        "6. Hình thức nhận kết quả: qua dịch vụ bưu chính công ích",
        f"Địa chỉ nhận kết quả: {POSTAL_ADDRESS}",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lò Văn Tâm",
    ):
        assert expected in receipt, expected
    assert "to-khai.pdf" not in receipt, "the procedure's components, not the upload names"
    received_at = _field(receipt, "4. Thời gian nhận hồ sơ")
    counted = "Thời gian giải quyết được tính từ" in receipt  # received outside office hours or after 15:00
    dossier.open_lookup_page()

    # Mẫu 02, then the citizen supplements and the officer receives again: a new Mẫu 01, round 1.
    dossier.act("forward", people.leader)
    dossier.act("request_supplement", people.leader, reason="Ảnh chưa đúng cỡ", items=["Ảnh 4x6 nền trắng"])
    request = dossier.download(dossier.slip("02"), pngs, "e2e-mau-02")
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "(Yêu cầu bổ sung lần thứ 1)",
        f"Thời gian tiếp nhận hồ sơ: {received_at}",  # as the officer received it, like Mẫu 01
        "Ảnh 4x6 nền trắng",
        "Lý do: Ảnh chưa đúng cỡ",
        "NGƯỜI HƯỚNG DẪN",
        "Nguyễn Văn Bình",
    ):
        assert expected in request, expected
    assert ("Thời gian giải quyết được tính từ" in request) == counted

    def supplemented() -> bool:
        response = dossier.intake.post(
            f"/api/v1/dossiers/{code}/supplements",
            files=[("files", ("anh-4x6.pdf", PDF, "application/pdf"))],
            headers=people.citizen,
        )
        return response.status_code == 201

    eventually(supplemented, what="intake accepts the supplement (status 5 known)")
    eventually(lambda: _resubmitted(dossier, people), what="officer receives the supplement")
    again = dossier.download(dossier.slip("01", 2), pngs, "e2e-mau-01-bo-sung")
    assert "(Tiếp nhận hồ sơ bổ sung lần thứ 1)" in again and "Hồ sơ bổ sung lần thứ 1" in again

    # Mẫu 04 on extension, and the mail gives the apology and the new date, not a status.
    extended = dossier.act(
        "extend",
        people.one_stop,
        reason="Cần xác minh với cơ quan công an",
        extension={"value": 2, "unit": "working_days"},
    )
    new_date = datetime.fromisoformat(extended["appointment_at"]).astimezone(TZ)
    apology = dossier.download(dossier.slip("04"), pngs, "e2e-mau-04")
    for expected in (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Giàng Thị Mỷ",
        f"Ngày {_day(received_at)}, Sở Xây dựng tỉnh Lai Châu tiếp nhận hồ sơ",
        "THỦ TRƯỞNG CƠ QUAN",
        "Nơi nhận:",
        "Lý do: Cần xác minh với cơ quan công an",
        f"Thời gian hẹn trả kết quả mới: {new_date:%H} giờ {new_date:%M} phút, ngày {new_date:%d} tháng {new_date:%m} năm {new_date:%Y}",
    ):
        assert expected in apology, expected
    mail = eventually(
        lambda: next((m for m in mails_to(stack, email) if "xin lỗi" in m["subject"]), None),
        what="apology mail",
    )
    assert f"{new_date:%H:%M %d/%m/%Y}" in mail["subject"]
    body = httpx.get(stack.url("sandbox") + f"/mail/{mail['id']}", timeout=10).json()["text"]
    assert (
        f"Thời gian hẹn trả kết quả mới: {new_date:%H} giờ {new_date:%M} phút ngày {new_date:%d/%m/%Y}"
        in body
    )
    assert "Lý do: Cần xác minh với cơ quan công an" in body and "xin lỗi" in body
    assert "Được tiếp nhận" not in body and "chuyển sang trạng thái" not in body, "not a status mail"
    assert f"Tra cứu tình trạng hồ sơ: {dossier.lookup_page}" in body  # the page the QR opens

    # The fee, paid on the platform: the biên lai drawn from the bank-signed receipt.
    _beneficiary_account(stack, people)
    state: dict[str, Any] = {}
    for _ in range(6):
        state = dossier.act("forward", people.leader)
        if state["status"] == 6:
            break
    assert state["status"] == 6, state
    _pay(stack, people, dossier)
    (kept,) = eventually(
        lambda: [
            r
            for r in dossier.intake.get(f"/api/v1/dossiers/{code}/receipts", headers=people.citizen).json()
            if r["pdf_url"]
        ],
        what="biên lai",
    )
    bien_lai = dossier.download({"url": kept["pdf_url"]}, pngs, "e2e-bien-lai", qr=False)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Số chứng từ:",
        "Mã giao dịch:",
        "Người nộp tiền: Giàng Thị Mỷ",
        "Tài khoản thụ hưởng: 3511.0.1049460",
        f"Mã hồ sơ: {code}",
        "Tổng số tiền: 135.000 đồng",
        "Một trăm ba mươi lăm nghìn đồng",
    ):
        assert expected in bien_lai, expected

    # Mẫu 06 from workflow: every hand-over; for the handling agency and the owner, 404 for others.
    slip_url = f"/api/v1/dossiers/{code}/control-slip.pdf"
    for allowed in (people.one_stop, people.citizen):
        got = dossier.workflow.get(slip_url, headers=allowed)
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    for other in (people.stranger, people.elsewhere):
        assert dossier.workflow.get(slip_url, headers=other).status_code == 404
    control = _read(dossier.workflow.get(slip_url, headers=people.one_stop).content, "e2e-mau-06", pngs)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {code}",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Xây dựng tỉnh Lai Châu",
        f"Thời gian nhận hồ sơ: {received_at}",  # the first receipt, as the officer received it
        "Tiếp nhận hồ sơ",
        "Trước hạn",
        "Người giao: Lò Văn Tâm",
        "Người nhận: Nguyễn Văn Bình",
    ):
        assert expected in control, expected

    # Mẫu 07 of the agency for this month: PDF and XLSX for its officers, 403 for others.
    today = datetime.now(TZ).date()
    period = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    register = dossier.workflow.get(
        f"/api/v1/agencies/{AGENCY}/register.pdf", params=period, headers=people.one_stop
    )
    assert register.status_code == 200, register.text
    text = _read(register.content, "e2e-mau-07", pngs)
    assert "SỔ THEO DÕI HỒ SƠ" in text and code in text
    sheet = dossier.workflow.get(
        f"/api/v1/agencies/{AGENCY}/register.xlsx", params=period, headers=people.leader
    )
    assert sheet.status_code == 200
    book = load_workbook(BytesIO(sheet.content)).active
    assert book is not None and code in [row[1] for row in book.iter_rows(min_row=7, values_only=True)]
    for other in (people.citizen, people.elsewhere):
        got = dossier.workflow.get(f"/api/v1/agencies/{AGENCY}/register.pdf", params=period, headers=other)
        assert got.status_code == 403


def _resubmitted(dossier: Dossier, people: People) -> bool:
    response = dossier.workflow.post(
        f"/api/v1/dossiers/{dossier.code}/actions/resubmit", json=None, headers=people.one_stop
    )
    return response.status_code == 200


def test_refusal_and_stop_notices(stack: Stack, people: People, tmp_path: Path) -> None:
    pngs = _png_dir(tmp_path)
    refused = Dossier(stack, people, f"tc.{uuid.uuid4().hex[:6]}@example.vn")
    refused.act("reject", people.one_stop, reason="Hồ sơ thuộc thẩm quyền của Công an tỉnh")
    refusal = refused.download(refused.slip("03"), pngs, "e2e-mau-03")
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hồ sơ thuộc thẩm quyền của Công an tỉnh",
        "Lò Văn Tâm",
    ):
        assert expected in refusal, expected

    stopped = Dossier(stack, people, f"dx.{uuid.uuid4().hex[:6]}@example.vn")
    stopped.act("accept", people.one_stop)
    receipt = stopped.download(stopped.slip("01"), pngs, "e2e-mau-01-chua-chon")
    assert (
        "6. Hình thức nhận kết quả: chưa chọn, chọn khi nhận kết quả (trực tiếp tại Bộ phận Một cửa; "
        "qua dịch vụ bưu chính công ích)"
    ) in receipt, "no delivery chosen at submission: the ways the procedure offers"
    stopped.act("stop", people.leader, reason="Theo đề nghị dừng giải quyết của người nộp hồ sơ")
    notice = stopped.download(stopped.slip("05"), pngs, "e2e-mau-05")
    for expected in (
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Giàng Thị Mỷ",
        f"Ngày {_day(_field(receipt, '4. Thời gian nhận hồ sơ'))}, Sở Xây dựng tỉnh Lai Châu tiếp nhận",
        "Thời điểm dừng giải quyết:",
        "Lý do: Theo đề nghị dừng giải quyết của người nộp hồ sơ",
        "THỦ TRƯỞNG CƠ QUAN",
    ):
        assert expected in notice, expected
    stopped.open_lookup_page()
