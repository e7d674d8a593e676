"""Returning the result (issue 15): online only once the electronic result is attached
(dossier.result_attached.v1), and the result's issue time is its own, not the return time."""

from __future__ import annotations

from datetime import datetime

from workflow_support import Workflow, local

from dvc_common.events.dossier import DossierResultAttached, ResultDocument
from dvc_workflow.service import submissions

PERFORMANCE = "1.000775.000.00.00.H56"  # Cấp giấy phép tổ chức biểu diễn nghệ thuật: result online only
CULTURE = "000.00.10.H56"  # Sở Văn hóa, Thể thao và Du lịch tỉnh Lai Châu


async def test_online_return_needs_the_result_document_and_keeps_the_issue_time(workflow: Workflow) -> None:
    officer = workflow.headers(
        "one_stop_officer",
        "processing_officer",
        "department_head",
        "agency_leader",
        agency=CULTURE,
        sub="vh-1",
    )
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=PERFORMANCE, agency=CULTURE)
    await workflow.ok(code, "accept", officer)
    workflow.clock.now = local(2026, 3, 3, 9, 0)
    body: dict[str, object] = {}
    while body.get("status") != 9:
        body = await workflow.ok(code, "forward", officer)
    resolved_at = local(2026, 3, 3, 9, 0)
    workflow.clock.now = local(2026, 3, 5, 14, 0)  # returned two days later
    refused = await workflow.act(code, "return_result", officer, delivery_method="online")
    assert refused.status_code == 422 and refused.json()["type"].endswith("result-document-required")
    assert "đính kèm" in refused.json()["detail"]
    not_offered = await workflow.act(code, "return_result", officer, delivery_method="counter")
    assert not_offered.status_code == 422 and "trực tuyến" in not_offered.json()["detail"]
    attached = DossierResultAttached(
        code=code,
        agency_id=CULTURE,
        attached_at=local(2026, 3, 5, 13, 0),
        documents=[ResultDocument(position=2, name="giay-phep-bieu-dien.pdf", sha256="ab" * 32, size=4096)],
    )
    async with workflow.app.state.runtime.transaction() as session:
        await submissions.result_attached(session, attached)
        await submissions.result_attached(session, attached)  # a second delivery changes nothing
    done = await workflow.ok(code, "return_result", officer, delivery_method="online")
    assert done["status"] == 10
    assert [h["note"] for h in done["history"] if h["action"] == "result_attached"] == [
        "Đã đính kèm kết quả điện tử (1 tệp)"
    ]
    assert done["history"][-1]["note"] == "Trả kết quả trực tuyến"
    returned = (await workflow.events("dossier.result_returned.v1", code))[0]
    assert datetime.fromisoformat(returned["at"]) == local(2026, 3, 5, 14, 0)
    assert datetime.fromisoformat(returned["result_issued_at"]) == resolved_at
