"""The system clock on the whole stack: the provincial operator moves it (identity's POST /api/v1/clock),
every process follows, and dossiers driven through the HTTP APIs meet the time rules at the instants
the law names: an online dossier submitted on Saturday night must be decided by Monday 17:00 (8
working hours from the next working hour); a receipt at 15:30 on the last working day before Tết
counts from the first working day after it; a step budget runs out (green → red in the work queue,
in the API and on the portal's page); due-soon and overdue mails arrive once each, at their instants;
an extension one minute after the deadline is refused; a supplement pause spans a swapped working
Saturday, which counts when the processing restarts.

The clock never moves back, so this module has a stack of its own (databases, vhost, ports) and its
tests run in the order of their instants. Nothing waits for real time to pass: each step sets the
clock (frozen at the instant, so minutes are exact) and waits only for the stack to follow.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from dvc_common.db import drop_database
from dvc_common.pdf.inspection import plain_text
from dvc_devkit.devstack import SERVICE_PORTS, Stack, StackConfig, env_prefix, port_open
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id
from e2e_support import PDF, eventually, mails_to

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Lai-Chau-2027-dong-ho!"
PROCEDURE = "1.004946.000.00.00.H56"  # Cấp giấy phép lái xe quốc tế: 5 ngày làm việc, toàn trình
AGENCY = "000.00.14.H56"  # Sở Xây dựng
CITIZEN = "011300009876"  # a VNeID account of the sandbox
# A decision the province loads for its training environment: Saturday 13/03/2027 worked, Friday
# 19/03/2027 off (the shipped calendar has no swap in 2027 yet).
SWAP = {
    "id": "dao-tao-2027-hoan-doi-13-3",
    "reference": "Quyết định giả định của môi trường đào tạo (không phải văn bản thật)",
    "title": "Hoán đổi ngày làm việc: làm Thứ Bảy 13/03/2027, nghỉ Thứ Sáu 19/03/2027",
    "days_off": [{"date": "2027-03-19", "name": "hoán đổi (làm bù Thứ Bảy 13/03/2027)", "group": "Hoán đổi"}],
    "working_days": [{"date": "2027-03-13", "reason": "Làm bù cho Thứ Sáu 19/03/2027"}],
}


def vn(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _free_offset() -> int:
    for offset in range(100, 2000, 100):
        probe = StackConfig(port_offset=offset)
        ports = [probe.sandbox_port, probe.smtp_port, *(probe.port(s) for s in SERVICE_PORTS)]
        if not any(port_open("127.0.0.1", port, timeout=0.2) for port in ports):
            return offset
    raise RuntimeError("no free block of ports for the clock test's stack")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack for this module only: its clock goes where the other modules' must not."""
    var = tmp_path_factory.mktemp("clock-var")
    decision = var / "quyet-dinh-dao-tao-2027.json"
    decision.write_text(json.dumps(SWAP, ensure_ascii=False), encoding="utf-8")
    suffix = f"_e2e_clock_{run_id()}"
    with rabbitmq_vhost("dvc-e2e-clock") as vhost:
        config = StackConfig(
            database_suffix=suffix,
            vhost=vhost.name,
            port_offset=_free_offset(),
            var_dir=var,
            extra_env={
                "DVC_WORKFLOW_CALENDAR_DECISIONS": json.dumps([str(decision)]),
                "DVC_WORKFLOW_LOOKUP_PER_MINUTE": "1000000",
                **{env_prefix(service) + "DB_POOL_SIZE": "3" for service in SERVICE_PORTS},
            },
        )
        running = Stack(config)
        try:
            running.up()
            yield running
        finally:
            running.down()
            for service in SERVICE_PORTS:
                asyncio.run(drop_database(config.database_url(service)))


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    assert "access_token" in tokens, tokens
    return {"Authorization": f"Bearer {tokens['access_token']}"}


class People:
    """The provincial operator, the one-stop officer (Lò Văn Tâm) and the leader (Nguyễn Văn Bình) of
    Sở Xây dựng, and the citizen. Moving the clock ends every session whose tokens expire in the jump,
    as it would on a real system: `sign_in()` signs everyone in again on the new time."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        suffix = uuid.uuid4().hex[:6]
        self.usernames = {
            "operator": f"e2e.dh.vp{suffix}",
            "admin": f"e2e.dh.qt{suffix}",
            "one_stop": f"e2e.dh.mc{suffix}",
            "leader": f"e2e.dh.ld{suffix}",
        }
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", self.usernames["operator"]],
            env=stack.env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        with self.identity() as client:
            changed = client.post(
                "/api/v1/auth/password",
                json={
                    "username": self.usernames["operator"],
                    "current_password": temporary,
                    "new_password": PASSWORD,
                },
            )
            operator = _bearer(changed.json())
            admin = self._officer(client, operator, "admin", "Quản trị Sở Xây dựng", ["agency_admin"])
            self._officer(client, admin, "one_stop", "Lò Văn Tâm", ["one_stop_officer"])
            self._officer(
                client,
                admin,
                "leader",
                "Nguyễn Văn Bình",
                ["processing_officer", "department_head", "agency_leader"],
            )
        self.sign_in()

    def identity(self) -> httpx.Client:
        return httpx.Client(base_url=self.stack.url("identity"), timeout=30)

    def _officer(
        self, client: httpx.Client, by: dict[str, str], who: str, name: str, roles: list[str]
    ) -> dict[str, str]:
        created = client.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": self.usernames[who],
                "agency_id": AGENCY,
                "full_name": name,
                "position": "Công chức",
                "roles": roles,
            },
        )
        assert created.status_code == 201, created.text
        changed = client.post(
            "/api/v1/auth/password",
            json={
                "username": self.usernames[who],
                "current_password": created.json()["temporary_password"],
                "new_password": PASSWORD,
            },
        )
        return _bearer(changed.json())

    def officer(self, who: str) -> dict[str, str]:
        with self.identity() as client:
            signed = client.post(
                "/api/v1/auth/login", json={"username": self.usernames[who], "password": PASSWORD}
            )
        assert signed.status_code == 200, signed.text
        return _bearer(signed.json())

    def sign_in(self) -> None:
        self.one_stop = self.officer("one_stop")
        self.leader = self.officer("leader")
        with self.identity() as client:
            start = client.get("/api/v1/citizen/login")
            params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
            back = httpx.post(
                start.headers["location"].split("?")[0],
                data=params | {"account": CITIZEN, "decision": "allow"},
                timeout=30,
            )
            done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        self.citizen = _bearer(done.json())

    def set_clock(self, at: datetime, *, frozen: bool = True) -> dict[str, Any]:
        """The operator sets the clock; returns once every process of the stack runs on it."""
        with self.identity() as client:
            moved = client.post(
                "/api/v1/clock",
                json={"set_to": at.isoformat(), "frozen": frozen},
                headers=self.officer("operator"),
            )
        assert moved.status_code == 200, moved.text
        view: dict[str, Any] = moved.json()
        processes = ["sandbox", *self.stack.config.services]

        def followed() -> bool:
            versions = [
                httpx.get(self.stack.url(p) + "/healthz", timeout=10).json()["clock"]["version"]
                for p in processes
            ]
            return all(v >= view["version"] for v in versions)

        eventually(followed, timeout=10, what="every process on the new clock")
        self.sign_in()
        return view


@pytest.fixture(scope="module")
def people(stack: Stack) -> People:
    return People(stack)


class Dossier:
    """One dossier the citizen submits online, seen through the APIs officers and the citizen use."""

    def __init__(self, stack: Stack, people: People) -> None:
        self.stack, self.people = stack, people
        self.email = f"dh.{uuid.uuid4().hex[:8]}@example.vn"
        self.intake = httpx.Client(base_url=stack.url("intake"), timeout=30)
        self.workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
        form = {"procedure_code": PROCEDURE, "applicant_name": "Giàng Thị Mỷ", "email": self.email}

        def submitted() -> httpx.Response | None:
            response = self.intake.post(
                "/api/v1/dossiers",
                data={"dossier": json.dumps(form, ensure_ascii=False)},
                files=[("files", ("to-khai.pdf", PDF, "application/pdf"))],
                headers=people.citizen,
            )
            return response if response.status_code == 201 else None

        self.code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
        eventually(lambda: self.lifecycle() is not None, what="the dossier in workflow")

    def lifecycle(self) -> dict[str, Any] | None:
        response = self.workflow.get(f"/api/v1/dossiers/{self.code}", headers=self.people.citizen)
        return response.json() if response.status_code == 200 else None

    def act(self, action: str, who: dict[str, str], **body: Any) -> httpx.Response:
        return self.workflow.post(f"/api/v1/dossiers/{self.code}/actions/{action}", json=body, headers=who)

    def queue_item(self) -> dict[str, Any]:
        """The dossier's row in the agency's work queue, as the one-stop officer sees it."""
        page = self.workflow.get(
            "/api/v1/work-queue", params={"scope": "agency", "limit": 200}, headers=self.people.one_stop
        )
        assert page.status_code == 200, page.text
        (item,) = [i for i in page.json()["items"] if i["code"] == self.code]
        found: dict[str, Any] = item
        return found

    def mails(self, words: str) -> list[dict[str, Any]]:
        return [m for m in mails_to(self.stack, self.email) if words in m["subject"]]

    def mail(self, words: str) -> dict[str, Any]:
        """The one mail whose subject has `words` (waiting for it), with its body and headers."""
        found = eventually(lambda: self.mails(words), what=f"mail «{words}» to {self.email}")
        assert len(found) == 1, [m["subject"] for m in found]
        full: dict[str, Any] = httpx.get(
            self.stack.url("sandbox") + f"/mail/{found[0]['id']}", timeout=10
        ).json()
        return full

    def slip_text(self, form: str, nth: int = 1) -> str:
        """The text of the nth slip of `form`, downloaded by the citizen."""

        def listed() -> dict[str, Any] | None:
            slips = self.intake.get(f"/api/v1/dossiers/{self.code}/slips", headers=self.people.citizen).json()
            found = [s for s in slips if s["form"] == form]
            return found[nth - 1] if len(found) >= nth else None

        slip = eventually(listed, what=f"Mẫu {form} #{nth} of {self.code}")
        got = self.intake.get(slip["url"], headers=self.people.citizen, follow_redirects=True)
        assert got.status_code == 200 and got.content.startswith(b"%PDF-")
        return plain_text(got.content)


def sent_at(mail: dict[str, Any]) -> datetime:
    """When notify sent the mail (its Date header, the system clock)."""
    date = next(value for name, value in mail["headers"] if name.lower() == "date")
    return parsedate_to_datetime(date)


def portal_queue(stack: Stack, people: People) -> str:
    """The portal's work-queue page of the agency, as the one-stop officer opens it in a browser."""
    with httpx.Client(base_url=stack.url("portal"), timeout=30, follow_redirects=True) as browser:
        form = browser.get("/can-bo/dang-nhap").text
        csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = browser.post(
            "/can-bo/dang-nhap",
            data={
                "csrf_token": csrf,
                "next": "/can-bo/ho-so?scope=agency",
                "username": people.usernames["one_stop"],
                "password": PASSWORD,
            },
        )
        assert signed.status_code == 200 and "Hồ sơ cần xử lý" in signed.text, signed.text[:500]
        return signed.text


def row_of(page: str, code: str) -> str:
    """The queue table's row of `code` (its cells' text)."""
    start = page.index(f'<a href="/can-bo/ho-so/{code}">')
    return page[start : page.index("</tr>", start)]


# ------------------------------------------------------------------------------------------ tests
def test_operator_moves_the_clock_and_the_whole_stack_follows(stack: Stack, people: People) -> None:
    with people.identity() as client:
        shown = client.get("/api/v1/clock", headers=people.officer("operator"))
        citizen = client.get("/api/v1/clock", headers=people.citizen)
    assert shown.status_code == 200 and shown.json()["mode"] == "wall" and shown.json()["movable"]
    assert citizen.status_code == 403, "only the provincial operator sees the clock's controls"
    saturday_evening = vn(2026, 12, 5, 21, 0)
    view = people.set_clock(saturday_evening, frozen=False)
    assert view["mode"] == "running" and view["now_local"].startswith("21:0")
    assert view["now_local"].endswith("ngày 05/12/2026")
    for process in ["sandbox", *stack.config.services]:
        now = datetime.fromisoformat(
            httpx.get(stack.url(process) + "/healthz", timeout=10).json()["clock"]["now"]
        )
        assert saturday_evening <= now < saturday_evening + timedelta(minutes=5), process
    backwards = httpx.post(
        stack.url("identity") + "/api/v1/clock",
        json={"set_to": vn(2026, 12, 1, 8, 0).isoformat()},
        headers=people.officer("operator"),
        timeout=30,
    )
    assert backwards.status_code == 409 and "Không thể lùi đồng hồ" in backwards.json()["detail"]


def test_an_online_dossier_of_saturday_night_is_due_monday_17h(stack: Stack, people: People) -> None:
    people.set_clock(vn(2026, 12, 5, 22, 0), frozen=False)
    dossier = Dossier(stack, people)
    assert f"{AGENCY}-261205-" in dossier.code, "the code carries the system date"
    item = dossier.queue_item()
    assert datetime.fromisoformat(item["due_at"]) == vn(2026, 12, 7, 17, 0), "8 working hours from Mon 07:00"
    assert item["status"] == 1 and item["color"] == "green" and not item["intake_overdue"]

    people.set_clock(vn(2026, 12, 7, 16, 59))
    item = dossier.queue_item()
    assert (
        item["color"] == "green" and not item["intake_overdue"] and item["time_left_text"].startswith("còn")
    )
    assert dossier.mails("quá hạn tiếp nhận") == []

    people.set_clock(vn(2026, 12, 7, 17, 1))
    item = dossier.queue_item()
    assert item["intake_overdue"] and item["color"] == "red", "late from 17:00, outside working hours too"
    assert item["time_left_text"] == "quá hạn từ 17:00 Thứ Hai 07/12/2026", item
    mail = dossier.mail("quá hạn tiếp nhận")
    assert mail["subject"] == f"Hồ sơ {dossier.code}: quá hạn tiếp nhận (17:00 07/12/2026)"
    assert "trong thời hạn 8 giờ làm việc (hạn 17 giờ 00 phút ngày 07/12/2026)" in mail["text"]
    assert sent_at(mail) >= vn(2026, 12, 7, 17, 0), "not before the deadline"
    row = row_of(portal_queue(stack, people), dossier.code)
    assert "Quá hạn tiếp nhận" in row and "badge-red" in row

    # Exactly once: a later jump wakes the supervisor again (another dossier falls due in it, so
    # the pass certainly ran), and the first dossier gets no second mail.
    later = Dossier(stack, people)  # Monday 17:01: outside working hours, due Tuesday 17:00
    assert datetime.fromisoformat(later.queue_item()["due_at"]) == vn(2026, 12, 8, 17, 0)
    people.set_clock(vn(2026, 12, 8, 17, 1))
    later.mail("quá hạn tiếp nhận")
    assert len(dossier.mails("quá hạn tiếp nhận")) == 1


def test_a_receipt_at_15h30_before_tet_runs_out_of_time(stack: Stack, people: People) -> None:
    people.set_clock(vn(2027, 2, 3, 15, 30))  # Wednesday, the last working day before Tết
    dossier = Dossier(stack, people)
    accepted = dossier.act("accept", people.one_stop)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert datetime.fromisoformat(body["received_at"]) == vn(2027, 2, 11, 7, 0), "counted after Tết"
    assert datetime.fromisoformat(body["appointment_at"]) == vn(2027, 2, 17, 17, 0)

    # The officer's and the citizen's receipt (Mẫu 01) and the citizen's mail say the same.
    receipt = dossier.slip_text("01")
    for expected in (
        "Thời gian nhận hồ sơ: 15 giờ 30 phút, ngày 03 tháng 02 năm 2027",
        "Thời gian giải quyết được tính từ: 07 giờ 00 phút, ngày 11 tháng 02 năm 2027",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 17 tháng 02 năm 2027",
        "nghỉ Tết Nguyên Đán 04–10/02/2027",
    ):
        assert expected in receipt, expected
    received = dossier.mail("Được tiếp nhận")
    assert "lúc 15 giờ 30 phút ngày 03/02/2027" in received["text"]
    assert "sau 15:00 nên tính từ 07:00 ngày làm việc tiếp theo (Thứ Năm 11/02/2027)" in received["text"]
    assert "hẹn trả kết quả: 17:00 Thứ Tư 17/02/2027" in received["text"]

    # The handling step's budget runs out: green to red in the API and on the portal's page.
    step = dossier.queue_item()
    step_due = datetime.fromisoformat(step["due_at"])
    assert step["color"] == "green" and step_due == vn(2027, 2, 15, 15, 30), step
    people.set_clock(step_due - timedelta(minutes=1))
    assert dossier.queue_item()["color"] == "green"
    assert "Trong hạn" in row_of(portal_queue(stack, people), dossier.code)
    people.set_clock(step_due + timedelta(minutes=1))
    late = dossier.queue_item()
    assert late["color"] == "red" and late["time_left_text"] == "quá 1 phút làm việc", late
    row = row_of(portal_queue(stack, people), dossier.code)
    assert "badge-red" in row and "Quá hạn" in row and "quá 1 phút làm việc" in row

    # Due soon from the start of the appointment's day, not a minute earlier; overdue after 17:00.
    people.set_clock(vn(2027, 2, 17, 6, 59))
    assert dossier.mails("sắp đến hẹn") == []
    people.set_clock(vn(2027, 2, 17, 7, 1))
    due_soon = dossier.mail("sắp đến hẹn")
    assert due_soon["subject"] == f"Hồ sơ {dossier.code}: sắp đến hẹn trả kết quả (17:00 17/02/2027)"
    assert sent_at(due_soon) >= vn(2027, 2, 17, 7, 0)
    assert dossier.mails("quá hạn") == []

    # One minute after the deadline the extension is refused, with the reason; the overdue mail comes.
    people.set_clock(vn(2027, 2, 17, 17, 1))
    refused = dossier.act(
        "extend",
        people.one_stop,
        reason="Cần xác minh với cơ quan công an",
        extension={"value": 2, "unit": "working_days"},
    )
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["title"] == "Không thực hiện được theo quy định về thời hạn"
    assert problem["detail"].startswith("Chỉ được gia hạn trong thời hạn giải quyết; hạn đã hết lúc 17:00")
    overdue = dossier.mail("quá hạn trả kết quả")
    assert overdue["subject"] == f"Hồ sơ {dossier.code}: quá hạn trả kết quả (17:00 17/02/2027)"
    assert sent_at(overdue) >= vn(2027, 2, 17, 17, 0)
    lifecycle = dossier.lifecycle()
    assert lifecycle is not None and lifecycle["extension_used"] is False
    assert datetime.fromisoformat(lifecycle["appointment_at"]) == vn(2027, 2, 17, 17, 0)
    assert dossier.mails("xin lỗi") == [], "no apology letter for a refused extension"
    assert len(dossier.mails("sắp đến hẹn")) == 1 and len(dossier.mails("quá hạn trả kết quả")) == 1


def test_a_supplement_pause_across_a_swapped_working_saturday(stack: Stack, people: People) -> None:
    people.set_clock(vn(2027, 3, 8, 9, 0))  # Monday
    dossier = Dossier(stack, people)
    accepted = dossier.act("accept", people.one_stop)
    assert accepted.status_code == 200, accepted.text
    first = datetime.fromisoformat(accepted.json()["appointment_at"])
    assert first == vn(2027, 3, 13, 9, 0), "5 working days end on the swapped working Saturday"

    people.set_clock(vn(2027, 3, 11, 10, 0))  # Thursday: the leader asks for a supplement
    assert dossier.act("forward", people.leader).status_code == 200
    asked = dossier.act(
        "request_supplement", people.leader, reason="Ảnh chưa đúng cỡ", items=["Ảnh 4x6 nền trắng"]
    )
    assert asked.status_code == 200, asked.text
    request = dossier.slip_text("02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in request and "Ảnh 4x6 nền trắng" in request
    assert "Yêu cầu bổ sung" in dossier.mail("Yêu cầu bổ sung")["subject"]

    # Saturday 09:20, past the first appointment: the clock stands still while the applicant works.
    people.set_clock(vn(2027, 3, 13, 9, 20))
    timeline = dossier.workflow.get(f"/api/v1/dossiers/{dossier.code}/timeline", headers=people.one_stop)
    assert timeline.status_code == 200, timeline.text
    assert timeline.json()["clock"].startswith("Tạm dừng chờ bổ sung hồ sơ từ 10:00 Thứ Năm 11/03/2027")
    assert "quá hạn" not in timeline.json()["clock"]
    uploaded = dossier.intake.post(
        f"/api/v1/dossiers/{dossier.code}/supplements",
        files=[("files", ("anh-4x6.pdf", PDF, "application/pdf"))],
        headers=people.citizen,
    )
    assert uploaded.status_code == 201, uploaded.text

    people.set_clock(vn(2027, 3, 13, 9, 30))  # the swapped Saturday is a working day: received now

    def received_again() -> httpx.Response | None:
        response = dossier.act("resubmit", people.one_stop)
        return response if response.status_code == 200 else None

    again = eventually(received_again, what="the supplement back in the officer's queue").json()
    assert datetime.fromisoformat(again["received_at"]) == vn(2027, 3, 13, 9, 30)
    assert datetime.fromisoformat(again["appointment_at"]) == vn(2027, 3, 22, 9, 30), (
        "from zero: Saturday 09:30 counts, Friday 19/03 is off"
    )
    assert again["supplement_count"] == 1
    receipt = dossier.slip_text("01", 2)
    for expected in (
        "(Tiếp nhận hồ sơ bổ sung lần thứ 1)",
        "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 13 tháng 03 năm 2027",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 22 tháng 03 năm 2027",
        "ngày làm việc bù Thứ Bảy 13/03/2027",
    ):
        assert expected in receipt, expected
    assert dossier.mails("quá hạn") == [], "the pause is not counted against the agency"
