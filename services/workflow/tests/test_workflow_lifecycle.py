"""The dossier lifecycle over HTTP against real PostgreSQL: transitions, guards, times and events."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from workflow_support import AGENCY, BUILDING_PERMIT, DRIVING_LICENCE, OTHER_AGENCY, Workflow, local

from dvc_common.client_address import TrustedProxies
from dvc_common.events import PaymentCompleted
from dvc_common.ratelimit import ClientLimiter, SharedRateLimiter
from dvc_workflow import service


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_accept_after_15h_counts_from_next_working_day(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 15, 20)  # Monday, after 15:00
    code = await workflow.submit()
    body = await workflow.ok(code, "accept", workflow.one_stop, expected_status=1)
    assert body["status"] == 2 and body["step_id"] == "xu-ly"
    assert at(body["received_at"]) == local(2026, 3, 3, 7, 0)  # Tuesday 07:00 (Điều 13.1)
    # 15 working days from Tue 03/03 07:00 end at the close of Mon 23/03 — computed by the engine.
    assert at(body["appointment_at"]) == local(2026, 3, 23, 17, 0)
    changed = await workflow.events("dossier.status_changed.v1", code)
    assert [e["status"] for e in changed] == [1, 2]
    assert at(changed[1]["received_at"]) == local(2026, 3, 3, 7, 0)
    assert at(changed[1]["appointment_at"]) == local(2026, 3, 23, 17, 0)
    assert changed[1]["step"]["officer_name"] == "Lò Văn Tâm"
    assert changed[1]["step"]["content"] == "Tiếp nhận hồ sơ"
    received = await workflow.events("dossier.received.v1", code)
    assert "15:00" in received[0]["explanation"] and received[0]["supplement_count"] == 0


async def test_reject_needs_a_reason_and_then_nothing_but_reading_is_allowed(workflow: Workflow) -> None:
    code = await workflow.submit()
    missing = await workflow.act(code, "reject", workflow.one_stop)
    assert missing.status_code == 422 and "lý do" in missing.json()["detail"]
    body = await workflow.ok(code, "reject", workflow.one_stop, reason="Hồ sơ không thuộc thẩm quyền")
    assert body["status"] == 3 and body["allowed_actions"] == []
    again = await workflow.act(code, "accept", workflow.one_stop)
    assert again.status_code == 409
    problem = again.json()
    assert problem["current_status"] == 3 and problem["allowed_actions"] == []
    assert "Không được tiếp nhận" in problem["detail"]
    assert again.headers["content-type"].startswith("application/problem+json")
    assert (await workflow.events("dossier.rejected.v1", code))[0]["reason"] == "Hồ sơ không thuộc thẩm quyền"


async def test_illegal_transition_names_current_state_and_allowed_actions(workflow: Workflow) -> None:
    code = await workflow.submit()
    response = await workflow.act(code, "return_result", workflow.one_stop, delivery_method="counter")
    assert response.status_code == 409
    problem = response.json()
    assert problem["current_status"] == 1 and problem["current_status_name"] == "Mới đăng ký"
    assert set(problem["allowed_actions"]) == {"accept", "reject", "request_supplement", "withdraw"}


async def test_expected_state_mismatch_is_409(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    stale = await workflow.act(code, "forward", workflow.leader, expected_status=1)
    assert stale.status_code == 409 and stale.json()["current_status"] == 2
    stale = await workflow.act(code, "forward", workflow.leader, expected_version=1)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert (await workflow.ok(code, "forward", workflow.leader, expected_version=2))["status"] == 4


async def test_supplement_pauses_and_resubmission_restarts_from_zero(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit()
    first = await workflow.ok(code, "accept", workflow.one_stop)
    assert at(first["appointment_at"]) == local(2026, 3, 23, 8, 0)
    workflow.clock.now = local(2026, 3, 5, 10, 0)
    paused = await workflow.ok(code, "request_supplement", workflow.leader, reason="Thiếu bản vẽ mặt bằng")
    assert paused["status"] == 5 and paused["supplement_count"] == 1
    # Two weeks later the applicant brings the missing papers: new receipt, same code, time from zero.
    workflow.clock.now = local(2026, 3, 19, 9, 30)
    again = await workflow.ok(code, "resubmit", workflow.one_stop)
    assert again["code"] == code and again["status"] == 2 and again["supplement_count"] == 1
    assert at(again["received_at"]) == local(2026, 3, 19, 9, 30)
    assert at(again["appointment_at"]) == local(2026, 4, 9, 9, 30)  # 15 working days again (no holiday)
    received = await workflow.events("dossier.received.v1", code)
    assert [r["supplement_count"] for r in received] == [0, 1]
    assert "bổ sung lần 1" in received[1]["explanation"]
    assert [e["status"] for e in await workflow.events("dossier.status_changed.v1", code)] == [1, 2, 5, 2]


async def test_extension_once_and_only_before_the_deadline(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=DRIVING_LICENCE)
    accepted = await workflow.ok(code, "accept", workflow.one_stop)
    assert at(accepted["appointment_at"]) == local(2026, 3, 9, 8, 0)
    workflow.clock.now = local(2026, 3, 6, 10, 0)
    extension = {"value": 3, "unit": "working_days"}
    body = await workflow.ok(
        code, "extend", workflow.one_stop, reason="Cần xác minh với cơ quan công an", extension=extension
    )
    assert body["extension_used"] and at(body["appointment_at"]) == local(2026, 3, 12, 8, 0)
    second = await workflow.act(code, "extend", workflow.one_stop, reason="Lần nữa", extension=extension)
    assert second.status_code == 409 and "không quá một lần" in second.json()["detail"]
    extended = await workflow.events("dossier.extended.v1", code)
    assert at(extended[0]["previous_appointment_at"]) == local(2026, 3, 9, 8, 0)

    late_code = await workflow.submit(procedure=DRIVING_LICENCE, at=local(2026, 3, 2, 8, 0))
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    await workflow.ok(late_code, "accept", workflow.one_stop)
    workflow.clock.now = local(2026, 3, 10, 9, 0)  # the appointment (09/03 08:00) has passed
    refused = await workflow.act(
        late_code, "extend", workflow.one_stop, reason="Quá muộn", extension=extension
    )
    assert refused.status_code == 409 and "hạn đã hết" in refused.json()["detail"]


async def test_full_path_with_payment_waiting_not_counted_against_the_agency(workflow: Workflow) -> None:
    """Issue 15: the wait for the applicant's fee (status 6) pauses the clock (Điện Biên Điều 13.5); the
    appointment moves by the working time waited, and the payment step is not the agency's lateness.
    (This test used to expect "late": the payment came after the original appointment.)"""
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=DRIVING_LICENCE)
    accepted = await workflow.ok(code, "accept", workflow.one_stop)
    assert at(accepted["appointment_at"]) == local(2026, 3, 9, 8, 0)  # 5 working days
    workflow.clock.now = local(2026, 3, 3, 8, 0)  # one working day of handling
    for step in ("xem-xet", "ky", "thu-phi"):
        body = await workflow.ok(code, "forward", workflow.leader)
        assert body["step_id"] == step
    assert body["status"] == 6
    ctx = workflow.app.state.workflow
    async with workflow.app.state.runtime.transaction() as session:
        # While the fee is awaited no appointment warning is raised, even past the first appointment.
        await service.supervise(session, ctx, local(2026, 3, 9, 10, 0))
    for warning in ("dossier.overdue.v1", "dossier.due_soon.v1", "dossier.step_overdue.v1"):
        assert await workflow.events(warning, code) == [], warning
    # payments: payment.completed.v1 moves the dossier on (here: to the result step), after the appointment
    paid = PaymentCompleted(
        payment_id="TT-1",
        dossier_code=code,
        agency_id=AGENCY,
        amount=135000,
        paid_at=local(2026, 3, 10, 9, 0),
        transaction_id="GD1",
    )
    async with workflow.app.state.runtime.transaction() as session:
        await service.payment_completed(session, ctx, paid)
        await service.payment_completed(session, ctx, paid)  # a second delivery changes nothing
    state = (await workflow.client.get(f"/api/v1/dossiers/{code}")).json()
    # Waited from Tue 03/03 08:00 to Tue 10/03 09:00: 5 working days 1 hour; the appointment (Mon 09/03
    # 08:00) moves by as much, to Mon 16/03 09:00; the result on 10/03 is early, not late.
    assert state["status"] == 9 and state["timeliness"] == "early"
    assert at(state["appointment_at"]) == local(2026, 3, 16, 9, 0)
    ready = await workflow.events("dossier.result_ready.v1", code)
    assert ready[0]["timeliness"] == "early"
    workflow.clock.now = local(2026, 3, 10, 10, 0)
    bad = await workflow.act(code, "return_result", workflow.one_stop, delivery_method="online")
    assert bad.status_code == 422
    done = await workflow.ok(code, "return_result", workflow.one_stop, delivery_method="post")
    assert done["status"] == 10
    statuses = [e["status"] for e in await workflow.events("dossier.status_changed.v1", code)]
    assert statuses == [1, 2, 4, 6, 9, 10]  # step changes inside 4 are not status changes
    # The control slip (Mẫu 06): every step with who, when received, when handed on, on time or late.
    slip = (await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.one_stop)).json()
    rows = slip["control_slip"]
    assert [r["step_id"] for r in rows] == ["tiep-nhan", "xu-ly", "xem-xet", "ky", "thu-phi", "tra-ket-qua"]
    assert rows[0]["on_time"] is True and rows[4]["on_time"] is True and rows[4]["due_at"] is None
    assert "không tính vào thời hạn giải quyết" in rows[4]["explanation"]
    assert "08:00 Thứ Ba 03/03/2026" in rows[4]["explanation"]
    assert all(r["handed_on_at"] for r in rows)
    assert "sớm hạn" in slip["timeliness_explanation"]
    assert "nghĩa vụ tài chính" in slip["deadline"]["appointment"]["explanation"]
    assert "lùi tương ứng thành 09:00 Thứ Hai 16/03/2026" in slip["deadline"]["appointment"]["explanation"]
    paid_entry = next(h for h in slip["lifecycle"]["history"] if h["action"] == "payment_completed")
    assert "không tính vào thời gian giải quyết" in paid_entry["note"]


async def test_early_result_and_send_back(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure="1.001022.000.00.00.H56", agency="000.02.30.H56")  # 1 working day
    officer = workflow.headers(
        "one_stop_officer", "processing_officer", "department_head", "agency_leader", agency="000.02.30.H56"
    )
    await workflow.ok(code, "accept", officer)
    await workflow.ok(code, "forward", officer)
    back = await workflow.ok(code, "send_back", officer, to_step="xu-ly", reason="Thẩm định lại")
    assert back["step_id"] == "xu-ly" and back["status"] == 4
    forward_wrong = await workflow.act(code, "send_back", officer, to_step="tra-ket-qua")
    assert forward_wrong.status_code == 409
    await workflow.ok(code, "forward", officer)
    await workflow.ok(code, "forward", officer)
    done = await workflow.ok(code, "forward", officer)
    assert done["status"] == 9 and done["timeliness"] == "early"


async def test_concurrent_conflicting_transitions_exactly_one_wins(workflow: Workflow) -> None:
    code = await workflow.submit()
    responses = await asyncio.gather(
        workflow.act(code, "accept", workflow.one_stop, expected_status=1),
        workflow.act(code, "reject", workflow.one_stop, reason="Sai thủ tục", expected_status=1),
        workflow.act(
            code, "request_supplement", workflow.one_stop, reason="Thiếu giấy tờ", expected_status=1
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409]
    both = await workflow.submit()
    twice = await asyncio.gather(
        workflow.act(both, "accept", workflow.one_stop), workflow.act(both, "accept", workflow.one_stop)
    )
    assert sorted(r.status_code for r in twice) == [200, 409]
    assert len(await workflow.events("dossier.received.v1", both)) == 1
    winner = next(r for r in responses if r.status_code == 200).json()
    statuses = [e["status"] for e in await workflow.events("dossier.status_changed.v1", code)]
    assert statuses == [1, winner["status"]]


async def test_officer_of_another_agency_cannot_touch_the_dossier(workflow: Workflow) -> None:
    code = await workflow.submit()
    stranger = workflow.headers("one_stop_officer", "agency_leader", agency=OTHER_AGENCY, sub="tu-phap-1")
    response = await workflow.act(code, "accept", stranger)
    assert response.status_code == 403 and OTHER_AGENCY in response.json()["detail"]
    assert (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=stranger)
    ).status_code == 404
    wrong_role = workflow.headers("processing_officer")
    assert (await workflow.act(code, "accept", wrong_role)).status_code == 403
    assert (await workflow.client.get(f"/api/v1/dossiers/{code}")).json()["status"] == 1


async def test_citizen_sees_and_withdraws_only_their_own(workflow: Workflow) -> None:
    mine = await workflow.submit(owner="vneid-an")
    theirs = await workflow.submit(owner="vneid-binh")
    an = workflow.headers(kind="citizen", sub="vneid-an", name="Nguyễn Văn An")
    listed = (await workflow.client.get("/api/v1/my/dossiers", headers=an)).json()
    assert [d["code"] for d in listed] == [mine]
    assert (await workflow.client.get(f"/api/v1/dossiers/{theirs}/timeline", headers=an)).status_code == 404
    assert (await workflow.client.get(f"/api/v1/dossiers/{mine}/timeline", headers=an)).status_code == 200
    assert (await workflow.act(theirs, "withdraw", an)).status_code == 403
    assert (await workflow.act(mine, "accept", an)).status_code == 403
    assert (await workflow.ok(mine, "withdraw", an))["status"] == 7
    assert await workflow.events("dossier.withdrawn.v1", mine)


async def test_stop_by_leader(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    assert (await workflow.act(code, "stop", workflow.one_stop, reason="x")).status_code == 403
    assert (await workflow.ok(code, "stop", workflow.leader, reason="Theo đề nghị của cơ quan thuế"))[
        "status"
    ] == 8


async def test_work_queue_sorted_by_due_time_with_cursor(workflow: Workflow) -> None:
    codes = []
    await workflow.officer("chuyen-vien-q", "Vàng A Sử")
    for day in (5, 2, 4, 3, 6):
        workflow.clock.now = local(2026, 3, day, 9, 0)
        code = await workflow.submit()
        await workflow.ok(code, "accept", workflow.one_stop)
        await workflow.ok(
            code,
            "assign",
            workflow.leader,
            assignee_subject="chuyen-vien-q",
            assignee_name="Vàng A Sử",
            department="Phòng Quản lý xây dựng",
        )
        codes.append((day, code))
    workflow.clock.now = local(2026, 3, 9, 9, 0)
    officer = workflow.headers("processing_officer", sub="chuyen-vien-q")
    seen, cursor = [], None
    while True:
        params: dict[str, str | int] = {"scope": "mine", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await workflow.client.get("/api/v1/work-queue", params=params, headers=officer)).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [i["code"] for i in seen] == [c for _, c in sorted(codes)]
    dues = [i["due_at"] for i in seen]
    assert dues == sorted(dues)
    assert {i["color"] for i in seen} == {"green"}  # the handling step has most of 15 working days
    assert seen[0]["time_left_text"].startswith("còn") and seen[0]["time_left_seconds"] > 0
    workflow.clock.now = local(2026, 4, 30, 9, 0)
    late = (await workflow.client.get("/api/v1/work-queue", params={"scope": "mine"}, headers=officer)).json()
    assert {i["color"] for i in late["items"]} == {"red"} and late["items"][0]["time_left_text"].startswith(
        "quá"
    )
    department = await workflow.client.get(
        "/api/v1/work-queue",
        params={"scope": "department", "department": "Phòng Quản lý xây dựng"},
        headers=workflow.leader,
    )
    assert {c for _, c in codes} <= {i["code"] for i in department.json()["items"]} | set()
    assert (
        await workflow.client.get("/api/v1/work-queue", headers=workflow.headers(kind="citizen", sub="x"))
    ).status_code == 403


async def test_timeline_lists_every_action_with_its_actor(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    timeline = (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.one_stop)
    ).json()
    history = timeline["lifecycle"]["history"]
    assert [(h["status"], h["action"]) for h in history] == [(1, "submit"), (2, "accept")]
    assert history[1]["actor_name"] == "Lò Văn Tâm"
    assert timeline["deadline"]["appointment"]["rule"] == "appointment.working_days"
    assert "hẹn trả" in timeline["clock"]


async def test_building_permit_is_in_the_agency_scope(workflow: Workflow) -> None:
    code = await workflow.submit(procedure=BUILDING_PERMIT)
    page = await workflow.client.get(
        "/api/v1/work-queue",
        params={"scope": "agency", "procedure_code": BUILDING_PERMIT, "status": 1, "limit": 200},
        headers=workflow.one_stop,
    )
    assert page.status_code == 200
    assert all(i["status"] == 1 for i in page.json()["items"])
    assert code in {i["code"] for i in page.json()["items"]} or page.json()["next_cursor"]


async def test_completion_before_receipt_then_first_receipt(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=DRIVING_LICENCE)
    asked = await workflow.ok(code, "request_supplement", workflow.one_stop, reason="Thiếu ảnh chân dung")
    assert asked["status"] == 5 and asked["received_at"] is None
    workflow.clock.now = local(2026, 3, 4, 14, 0)
    received = await workflow.ok(code, "resubmit", workflow.one_stop)
    assert received["status"] == 2 and received["supplement_count"] == 0
    assert at(received["received_at"]) == local(2026, 3, 4, 14, 0)
    assert at(received["appointment_at"]) == local(2026, 3, 11, 14, 0)


async def test_online_dossier_not_decided_in_8_working_hours_is_flagged(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 6, 16, 0)  # Friday 16:00: 1 working hour that day, 7 on Monday
    code = await workflow.submit(procedure="1.000775.000.00.00.H56", agency="000.00.10.H56")
    officer = workflow.headers("one_stop_officer", agency="000.00.10.H56")
    workflow.clock.now = local(2026, 3, 9, 16, 0)
    page = (
        await workflow.client.get(
            "/api/v1/work-queue", params={"scope": "agency", "status": 1}, headers=officer
        )
    ).json()
    item = next(i for i in page["items"] if i["code"] == code)
    assert not item["intake_overdue"]
    workflow.clock.now = local(2026, 3, 10, 7, 30)
    page = (
        await workflow.client.get(
            "/api/v1/work-queue", params={"scope": "agency", "status": 1}, headers=officer
        )
    ).json()
    item = next(i for i in page["items"] if i["code"] == code)
    assert item["intake_overdue"] and item["color"] == "red"


async def test_one_hour_procedure_is_decided_right_after_receipt(workflow: Workflow) -> None:
    from dvc_common.events import FeeLine, ProcessingTime
    from dvc_workflow.domain.catalog import ProcedureDefinition

    quick = ProcedureDefinition(
        code="1.000003.000.00.00.H56",
        name="Xác nhận nhanh thử nghiệm",
        field_name="Thử nghiệm",
        agency_id="000.07.30.H56",
        agency_name="Ủy ban nhân dân Xã Than Uyên",
        processing_time=ProcessingTime(value=1, unit="working_hours"),
        online_level="full",
        components=["Tờ khai"],
        fees=[FeeLine(kind="le_phi", name="Lệ phí", amount=10000)],
    )
    async with workflow.app.state.runtime.transaction() as session:
        await service.publish_catalog(session, workflow.app.state.workflow.outbox, [quick])
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=quick.code, agency=quick.agency_id)
    officer = workflow.headers("one_stop_officer", agency=quick.agency_id)
    await workflow.ok(code, "accept", officer)
    workflow.clock.now = local(2026, 3, 2, 8, 40)
    done = await workflow.ok(code, "forward", officer)
    assert (
        done["status"] == 9 and done["timeliness"] == "on_time"
    )  # same day as the appointment (engine rule)


async def test_public_lookup_shows_statuses_but_not_notes_or_names(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "reject", workflow.one_stop, reason="Giấy tờ của ông Nguyễn Văn A đã hết hạn")
    public = (await workflow.client.get(f"/api/v1/dossiers/{code}")).json()
    assert [h["status"] for h in public["history"]] == [1, 3]
    assert all(h["note"] is None and h["actor_name"] is None for h in public["history"])
    private = (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.one_stop)
    ).json()
    assert private["lifecycle"]["history"][1]["note"].startswith("Giấy tờ")


async def test_supplement_uploaded_at_intake_comes_back_to_the_one_stop_queue(workflow: Workflow) -> None:
    from dvc_common.events import DossierResubmitted, SubmittedFile

    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=DRIVING_LICENCE, owner="vneid-mai")
    await workflow.ok(code, "accept", workflow.one_stop)
    await workflow.ok(code, "request_supplement", workflow.one_stop, reason="Thiếu bản sao hộ chiếu")
    citizen = workflow.headers(kind="citizen", sub="vneid-mai")
    assert (await workflow.act(code, "resubmit", citizen)).status_code == 403  # the officer receives it
    uploaded = DossierResubmitted(
        code=code,
        procedure_code=DRIVING_LICENCE,
        agency_id=AGENCY,
        resubmitted_at=local(2026, 3, 3, 9, 0),
        supplement_round=1,
        files=[SubmittedFile(name="ho-chieu.pdf", content_type="application/pdf", size=10, sha256="cd" * 32)],
    )
    async with workflow.app.state.runtime.transaction() as session:
        await service.supplement_uploaded(session, workflow.app.state.workflow, uploaded)
    workflow.clock.now = local(2026, 3, 3, 10, 0)
    queue = (
        await workflow.client.get(
            "/api/v1/work-queue", params={"scope": "agency", "status": 5}, headers=workflow.one_stop
        )
    ).json()
    item = next(i for i in queue["items"] if i["code"] == code)
    assert item["color"] == "green" and at(item["due_at"]) == local(2026, 3, 4, 9, 0)  # 8 working hours
    again = await workflow.ok(code, "resubmit", workflow.one_stop, expected_status=5)
    assert again["status"] == 2 and again["supplement_count"] == 1
    assert at(again["received_at"]) == local(2026, 3, 3, 10, 0)


async def test_officer_of_the_agency_a_dossier_was_transferred_to_reads_it(workflow: Workflow) -> None:
    code = await workflow.submit(procedure=BUILDING_PERMIT)
    await workflow.ok(code, "accept", workflow.one_stop)
    police = "000.00.17.H56"
    inspector = workflow.headers(
        "processing_officer", agency=police, sub="thanh-tra-2", name="Cán bộ thanh tra"
    )
    assert (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=inspector)
    ).status_code == 404
    await workflow.ok(code, "transfer", workflow.leader, agency_id=police, reason="Xin ý kiến thanh tra")
    # The officer whom the transfer lets act on the dossier reads it in full, like its own agency.
    detail = (await workflow.client.get(f"/api/v1/dossiers/{code}", headers=inspector)).json()
    assert detail["history"][-1]["action"] == "transfer" and police in detail["history"][-1]["note"]
    assert detail["history"][-1]["actor_name"] == "Nguyễn Văn Bình"
    timeline = await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=inspector)
    assert timeline.status_code == 200 and timeline.json()["lifecycle"]["code"] == code
    # Handed back to the competent agency, the dossier is theirs again: the public look-up only.
    await workflow.ok(code, "forward", inspector)
    after = (await workflow.client.get(f"/api/v1/dossiers/{code}", headers=inspector)).json()
    assert all(h["note"] is None and h["actor_name"] is None for h in after["history"])
    assert (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=inspector)
    ).status_code == 404


async def test_anonymous_lookup_is_rate_limited_per_client_address(workflow: Workflow) -> None:
    # The replicas' shared limiter (the service's database), 3 per client; a key of this test's own.
    shared = SharedRateLimiter(workflow.app.state.runtime.engine.begin)
    workflow.app.state.lookup_limiter = ClientLimiter(shared, f"lookup-{uuid.uuid4().hex[:8]}", 3, 1000)
    code = await workflow.submit()
    lookup = f"/api/v1/dossiers/{code}"
    statuses = [(await workflow.client.get(lookup)).status_code for _ in range(3)]
    refused = await workflow.client.get(lookup)
    assert statuses == [200, 200, 200] and refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1 and "thử lại" in refused.json()["detail"]
    assert (await workflow.client.get("/api/v1/dossiers/000.00.14.H56-200101-9999")).status_code == 429
    # X-Forwarded-For from a client is not believed: the socket peer is not a trusted proxy.
    spoofed = await workflow.client.get(lookup, headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429
    # Who may read the dossier is not limited; a token that may not read it gets the limited look-up.
    assert (await workflow.client.get(lookup, headers=workflow.one_stop)).status_code == 200
    stranger = workflow.headers("one_stop_officer", agency=OTHER_AGENCY)
    assert (await workflow.client.get(lookup, headers=stranger)).status_code == 429
    bad_token = await workflow.client.get(lookup, headers={"Authorization": "Bearer khong-hop-le"})
    assert bad_token.status_code == 401
    # Behind a trusted proxy, each client it forwards has its own allowance.
    workflow.app.state.proxies = TrustedProxies.parse(["127.0.0.1/32"])
    forwarded = await workflow.client.get(lookup, headers={"X-Forwarded-For": "203.0.113.9"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == 1
