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
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from clock_support import AGENCY, PDF, Dossier, People, portal_queue, row_of, sent_at, vn

from dvc_common.db import drop_database
from dvc_devkit.devstack import SERVICE_PORTS, Stack, StackConfig, env_prefix, reserve_port_offset
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id
from e2e_support import eventually

# A decision the province loads for its training environment: Saturday 13/03/2027 worked, Friday
# 19/03/2027 off (the shipped calendar has no swap in 2027 yet).
SWAP = {
    "id": "dao-tao-2027-hoan-doi-13-3",
    "reference": "Quyết định giả định của môi trường đào tạo (không phải văn bản thật)",
    "title": "Hoán đổi ngày làm việc: làm Thứ Bảy 13/03/2027, nghỉ Thứ Sáu 19/03/2027",
    "days_off": [{"date": "2027-03-19", "name": "hoán đổi (làm bù Thứ Bảy 13/03/2027)", "group": "Hoán đổi"}],
    "working_days": [{"date": "2027-03-13", "reason": "Làm bù cho Thứ Sáu 19/03/2027"}],
}


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
            port_offset=reserve_port_offset(what="clock test's stack"),
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


@pytest.fixture(scope="module")
def people(stack: Stack) -> People:
    return People(stack)


# ------------------------------------------------------------------------------------------ tests
def test_operator_moves_the_clock_and_the_whole_stack_follows(stack: Stack, people: People) -> None:
    with people.identity() as client:
        shown = client.get("/api/v1/clock", headers=people.officer("operator"))
        citizen = client.get("/api/v1/clock", headers=people.citizen)
    assert shown.status_code == 200 and shown.json()["mode"] == "wall" and shown.json()["movable"]
    assert citizen.status_code == 403, "only the provincial operator sees the clock's controls"
    saturday_evening = vn(2026, 12, 5, 21, 0)
    moved = people.dvc_clock("set", "2026-12-05T21:00:00+07:00")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.startswith("Giờ hệ thống: 21:00:"), moved.stdout
    view = json.loads(moved.stdout.split("\n", 1)[1])
    assert view["mode"] == "running" and view["now_local"].endswith("ngày 05/12/2026")
    people.follow(view["version"])
    for process in ["sandbox", *stack.config.services]:
        now = datetime.fromisoformat(
            httpx.get(stack.url(process) + "/healthz", timeout=10).json()["clock"]["now"]
        )
        assert saturday_evening <= now < saturday_evening + timedelta(minutes=5), process
    again = people.dvc_clock("show")
    assert again.returncode == 0 and "Đồng hồ chạy nhanh hơn giờ thật" in again.stdout, again.stdout
    backwards = people.dvc_clock("set", "2026-12-01T08:00:00+07:00")
    assert backwards.returncode == 1 and "Không thể lùi đồng hồ" in backwards.stderr, backwards.stderr


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
