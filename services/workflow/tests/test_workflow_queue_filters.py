"""The work queue the officer console uses (issue 15): applicant, procedure and step names; the
supplement that arrived shown distinctly; filters by status, procedure, due soon, overdue, supplement
arrived; search by code or applicant."""

from __future__ import annotations

from typing import Any

from workflow_support import Workflow, local

from dvc_common.events import DossierContactRegistered, DossierResubmitted, SubmittedFile
from dvc_workflow import service
from dvc_workflow.service import directory

NAM_NHUN = "000.10.30.H56"  # Ủy ban nhân dân Xã Nậm Nhùn
DEATH = "1.000656.000.00.00.H56"  # Thủ tục đăng ký khai tử: 8 working hours
BIRTH = "1.001193.000.00.00.H56"  # Thủ tục đăng ký khai sinh


async def test_queue_names_filters_and_search(workflow: Workflow) -> None:
    officer = workflow.headers(
        "one_stop_officer", "processing_officer", agency=NAM_NHUN, sub="mc-nn", name="Lò Văn Nậm"
    )

    async def filed(procedure: str, applicant: str) -> str:
        code = await workflow.submit(procedure=procedure, agency=NAM_NHUN)
        contact = DossierContactRegistered(
            code=code, applicant_name=applicant, email=None, phone="0912000111"
        )
        async with workflow.app.state.runtime.transaction() as session:
            await directory.record_applicant(session, contact)
        return code

    workflow.clock.now = local(2026, 3, 2, 8, 0)  # Monday
    fresh = await filed(BIRTH, "Lường Thị Quyên")
    waiting = await filed(DEATH, "Quàng Văn Tuấn")
    await workflow.ok(waiting, "accept", officer)
    await workflow.ok(waiting, "request_supplement", officer, reason="Thiếu giấy báo tử")
    uploaded = DossierResubmitted(
        code=waiting,
        procedure_code=DEATH,
        agency_id=NAM_NHUN,
        resubmitted_at=local(2026, 3, 2, 9, 0),
        supplement_round=1,
        files=[
            SubmittedFile(name="giay-bao-tu.pdf", content_type="application/pdf", size=10, sha256="ef" * 32)
        ],
    )
    async with workflow.app.state.runtime.transaction() as session:
        await service.supplement_uploaded(session, workflow.app.state.workflow, uploaded)
    handled = await filed(DEATH, "Lò Thị Hạnh")
    await workflow.ok(handled, "accept", officer)
    workflow.clock.now = local(2026, 3, 2, 10, 0)

    async def queue(**params: Any) -> list[dict[str, Any]]:
        response = await workflow.client.get(
            "/api/v1/work-queue", params={"scope": "agency", **params}, headers=officer
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    everything = {i["code"]: i for i in await queue()}
    assert {fresh, waiting, handled} <= set(everything)
    line = everything[waiting]
    assert line["applicant_name"] == "Quàng Văn Tuấn" and line["procedure_name"] == "Thủ tục đăng ký khai tử"
    assert line["supplement_arrived"] is True and line["queue_label"] == "Đã nộp bổ sung, chờ tiếp nhận lại"
    assert everything[fresh]["queue_label"] == "Mới đăng ký" and not everything[fresh]["supplement_arrived"]
    assert everything[handled]["step_name"] == "Thẩm định, xử lý hồ sơ"
    assert {i["code"] for i in await queue(supplement_arrived="true")} == {waiting}
    assert waiting not in {i["code"] for i in await queue(supplement_arrived="false")}
    assert {i["code"] for i in await queue(procedure_code=BIRTH)} == {fresh}
    assert {i["code"] for i in await queue(status=1)} == {fresh}
    assert {i["code"] for i in await queue(q="quàng văn")} == {waiting}
    assert {i["code"] for i in await queue(q=handled[-7:])} == {handled}
    assert await queue(q="%") == []  # a wildcard is searched as itself
    # The step of the received dossier is due within the day; later, overdue.
    assert handled in {i["code"] for i in await queue(due="soon")}
    assert handled not in {i["code"] for i in await queue(due="overdue")}
    workflow.clock.now = local(2026, 3, 6, 10, 0)
    overdue = {i["code"] for i in await queue(due="overdue")}
    assert {fresh, handled} <= overdue
    bad = await workflow.client.get("/api/v1/work-queue", params={"due": "tomorrow"}, headers=officer)
    assert bad.status_code == 422
