"""Assignment picks real officers (issue 15; stored markup, issue 16): workflow's copy of identity's
officers (officer.upserted.v1) decides who can be assigned, with the record's name and department."""

from __future__ import annotations

from workflow_support import OTHER_AGENCY, Workflow


async def test_assign_refuses_unknown_other_agency_locked_and_markup_and_stores_the_record(
    workflow: Workflow,
) -> None:
    await workflow.officer("cv-xd-1", "Vàng A Sử")
    await workflow.officer(
        "cv-tp-1", "Lò Thị Mai", agency=OTHER_AGENCY, department="hc", department_name="Phòng Hành chính"
    )
    await workflow.officer("cv-xd-khoa", "Giàng A Páo", active=False)
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    refusals = {
        "nobody": {"assignee_subject": "khong-ton-tai"},
        "other agency": {"assignee_subject": "cv-tp-1"},
        "locked": {"assignee_subject": "cv-xd-khoa"},
        "markup": {"assignee_subject": "cv-xd-1", "assignee_name": "<img src=x onerror=alert(1)>"},
        "wrong department": {"assignee_subject": "cv-xd-1", "department": "Phòng Kế hoạch"},
        "unknown department": {"department": "Phòng <b>Ma</b>"},
    }
    for why, body in refusals.items():
        refused = await workflow.act(code, "assign", workflow.leader, **body)
        assert refused.status_code == 422, (why, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert not refused.json()["detail"].isascii(), why  # Vietnamese
    state = (await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.leader)).json()
    assert not any(h["action"] == "assign" for h in state["lifecycle"]["history"])  # nothing changed
    done = await workflow.ok(
        code, "assign", workflow.leader, assignee_subject="cv-xd-1", assignee_name="Tên khác"
    )
    queue = (
        await workflow.client.get(
            "/api/v1/work-queue",
            params={"scope": "mine"},
            headers=workflow.headers("processing_officer", sub="cv-xd-1"),
        )
    ).json()
    item = next(i for i in queue["items"] if i["code"] == code)
    assert item["assignee_name"] == "Vàng A Sử" and item["department"] == "Phòng Quản lý xây dựng"
    to_department = await workflow.ok(code, "assign", workflow.leader, department="qlxd")
    assert to_department["version"] > done["version"]


async def test_a_department_head_assigns_within_their_department_only(workflow: Workflow) -> None:
    await workflow.officer("tp-qlxd", "Nguyễn Văn Trưởng", roles=("department_head",))
    await workflow.officer("cv-qlxd", "Vàng A Sử")
    await workflow.officer("cv-kh", "Lò Văn Kế", department="kh", department_name="Phòng Kế hoạch")
    head = workflow.headers("department_head", "processing_officer", sub="tp-qlxd", name="Nguyễn Văn Trưởng")
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    outside = await workflow.act(code, "assign", head, assignee_subject="cv-kh")
    assert outside.status_code == 422 and "không thuộc phòng" in outside.json()["detail"]
    other_department = await workflow.act(code, "assign", head, department="kh")
    assert other_department.status_code == 422
    assert (await workflow.act(code, "assign", head, assignee_subject="cv-qlxd")).status_code == 200


async def test_an_officer_locked_by_identity_can_no_longer_be_assigned(workflow: Workflow) -> None:
    from dvc_common.events import OfficerLocked
    from dvc_workflow.service import directory

    await workflow.officer("cv-xd-roi", "Lầu A Dơ")
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    locked = OfficerLocked(
        officer_id="cv-xd-roi", agency_id="000.00.14.H56", locked_at=workflow.clock.now, reason="left"
    )
    async with workflow.app.state.runtime.transaction() as session:
        await directory.officer_locked(session, locked)
    refused = await workflow.act(code, "assign", workflow.leader, assignee_subject="cv-xd-roi")
    assert refused.status_code == 422 and "khóa" in refused.json()["detail"]
