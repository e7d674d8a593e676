"""Steps that keep the national status are announced (dossier.step_changed.v1, internal) so that the
national portal's processing history gets them too (issue 15)."""

from __future__ import annotations

from workflow_support import BUILDING_PERMIT, Workflow, local

from dvc_common.events.dossier import DOSSIER_STEP_CHANGED, DossierStepChanged


async def test_forward_and_send_back_inside_status_4_are_announced_with_the_step(workflow: Workflow) -> None:
    assert not DOSSIER_STEP_CHANGED.public
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    code = await workflow.submit(procedure=BUILDING_PERMIT)
    await workflow.ok(code, "accept", workflow.one_stop)
    assert (await workflow.ok(code, "forward", workflow.leader))["step_id"] == "xem-xet"
    workflow.clock.now = local(2026, 3, 2, 10, 0)
    back = await workflow.ok(code, "send_back", workflow.leader, to_step="xu-ly", reason="Thẩm định lại")
    assert back["status"] == 4
    steps = [
        DossierStepChanged.model_validate(e) for e in await workflow.events("dossier.step_changed.v1", code)
    ]
    assert [(s.action, s.step_id, s.status) for s in steps] == [("send_back", "xu-ly", 4)]
    sent_back = steps[0]
    assert sent_back.step.content == "Trả lại bước «Thẩm định, xử lý hồ sơ»"
    assert sent_back.step.officer_name == "Nguyễn Văn Bình" and sent_back.step.due_at is not None
    assert sent_back.changed_at == local(2026, 3, 2, 10, 0) and sent_back.appointment_at is not None
    assert sent_back.step_name == "Thẩm định, xử lý hồ sơ"
    # forward from 2 to 4 changed the status (dossier.status_changed.v1); forward inside 4 is a step.
    await workflow.ok(code, "forward", workflow.leader)
    steps = [
        DossierStepChanged.model_validate(e) for e in await workflow.events("dossier.step_changed.v1", code)
    ]
    assert [(s.action, s.step_id) for s in steps] == [("send_back", "xu-ly"), ("forward", "xem-xet")]
    assert steps[1].step.content == "Chuyển bước «Xem xét, trình ký»"
    statuses = [e["status"] for e in await workflow.events("dossier.status_changed.v1", code)]
    assert statuses == [1, 2, 4]
