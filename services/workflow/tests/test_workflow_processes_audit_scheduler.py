"""Internal processes (publish validation, versions), the deadline supervisor on two replicas, the audit
chain under tampering, catalog import."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import text
from workflow_support import AGENCY, BUILDING_PERMIT, DRIVING_LICENCE, OTHER_AGENCY, Workflow, local

from dvc_common.events import ProcessingTime
from dvc_common.jobs import NotLeader
from dvc_workflow import service
from dvc_workflow.domain.catalog import parse_csv
from dvc_workflow.domain.lifecycle import Action, allowed_actions, check_status
from dvc_workflow.domain.process import ProcessDefinition, default_process, validate
from dvc_workflow.scheduler import deadline_supervisor


def step(
    id: str,
    role: str = "processing_officer",
    hours: int = 8,
    nxt: list[str] | None = None,
    kind: str = "normal",
) -> dict[str, Any]:
    budget = None if kind == "result" else {"value": hours, "unit": "working_hours"}
    return {"id": id, "name": id.title(), "role": role, "kind": kind, "budget": budget, "next": nxt or []}


# ------------------------------------------------------------------ pure rules
def test_validation_names_every_problem() -> None:
    legal = ProcessingTime(value=2, unit="working_days")
    bad = ProcessDefinition.model_validate(
        {
            "steps": [
                step("a", "one_stop_officer", 4, ["b"]),
                step("b", "phu_thuy", 12, ["end"]),
                step("orphan", hours=1, nxt=["end"]),
                step("end", "one_stop_officer", kind="result"),
            ]
        }
    )
    reasons = validate(bad, legal)
    assert any("phu_thuy" in r for r in reasons)
    no_end = ProcessDefinition.model_validate({"steps": [step("a", nxt=["b"]), step("b", nxt=["a"])]})
    assert any("bước kết thúc" in r for r in validate(no_end, legal))
    unreachable = ProcessDefinition.model_validate(
        {"steps": [step("a", nxt=["end"]), step("orphan", nxt=["end"]), step("end", kind="result")]}
    )
    assert any("Orphan" in r and "không thể đến được" in r for r in validate(unreachable, legal))
    too_long = ProcessDefinition.model_validate(
        {
            "steps": [
                step("a", hours=10, nxt=["b"]),
                step("b", hours=7, nxt=["end"]),
                step("end", kind="result"),
            ]
        }
    )
    assert any("vượt thời hạn" in r for r in validate(too_long, legal))  # 17 h > 16 h
    branches = ProcessDefinition.model_validate(
        {
            "steps": [
                step("a", hours=4, nxt=["b", "c"]),
                step("b", hours=12, nxt=["end"]),
                step("c", hours=4, nxt=["end"]),
                step("end", kind="result"),
            ]
        }
    )
    assert validate(branches, legal) == []


def test_default_processes_of_the_whole_catalog_are_valid() -> None:
    for unit, value in (
        ("working_hours", 2),
        ("working_hours", 8),
        ("working_days", 3),
        ("calendar_days", 30),
        ("working_days", 30),
    ):
        legal = ProcessingTime(value=value, unit=unit)
        for with_payment in (True, False):
            assert validate(default_process(legal, with_payment=with_payment), legal) == []


def test_lifecycle_table() -> None:
    assert {a.value for a in allowed_actions(9)} == {"return_result"}
    assert allowed_actions(10) == [] and allowed_actions(7) == [] and allowed_actions(8) == []
    assert Action.RESUBMIT in allowed_actions(5) and Action.ACCEPT not in allowed_actions(5)
    verdict = check_status(Action.EXTEND, 5)
    assert not verdict.allowed and "Yêu cầu bổ sung" in verdict.reason


def test_csv_import() -> None:
    rows = parse_csv(
        "code,name,field_name,agency_id,agency_name,agency_level,processing_time_value,processing_time_unit,"
        "online_level,components,fees,result_documents,signature_required,result_delivery\n"
        "1.000001.000.00.00.H56,Cấp phép thử,Thử nghiệm,000.00.03.H56,Sở Tư pháp,department,3,working_days,full,"
        "Đơn|Bản sao,le_phi:50000:Lệ phí cấp phép,Giấy phép,có,counter|online\n"
    )
    assert rows[0].components == ["Đơn", "Bản sao"] and rows[0].fees[0].amount == 50000
    assert rows[0].signature_required and rows[0].result_delivery == ["counter", "online"]


# ------------------------------------------------------------------ processes over HTTP
async def test_publish_refused_with_reasons_then_new_version_and_dossiers_keep_theirs(
    workflow: Workflow,
) -> None:
    admin = workflow.headers("agency_leader", sub="lanh-dao-xd")
    code_on_v1 = await workflow.submit(procedure=DRIVING_LICENCE)
    bad = {
        "steps": [
            step("tiep-nhan", "one_stop_officer", 4, ["xu-ly"]),
            step("xu-ly", hours=60, nxt=["tra"]),
            step("tra", "one_stop_officer", kind="result"),
        ]
    }
    created = await workflow.client.post(
        f"/api/v1/procedures/{DRIVING_LICENCE}/processes/{AGENCY}", json=bad, headers=admin
    )
    assert created.status_code == 201 and created.json()["state"] == "draft"
    refused = await workflow.client.post(f"/api/v1/processes/{created.json()['id']}/publish", headers=admin)
    assert refused.status_code == 422
    assert any("vượt thời hạn" in r for r in refused.json()["reasons"])
    good = {
        "steps": [
            step("tiep-nhan", "one_stop_officer", 4, ["xu-ly"]),
            step("xu-ly", hours=30, nxt=["thu-phi"]),
            {
                "id": "thu-phi",
                "name": "Thu lệ phí",
                "role": "one_stop_officer",
                "kind": "payment",
                "next": ["tra"],
            },
            step("tra", "one_stop_officer", kind="result"),
        ]
    }
    draft = (
        await workflow.client.post(
            f"/api/v1/procedures/{DRIVING_LICENCE}/processes/{AGENCY}", json=good, headers=admin
        )
    ).json()
    published = await workflow.client.post(f"/api/v1/processes/{draft['id']}/publish", headers=admin)
    assert published.status_code == 200 and published.json()["state"] == "published"
    again = await workflow.client.post(f"/api/v1/processes/{draft['id']}/publish", headers=admin)
    assert again.status_code == 409
    announced = await workflow.events("procedure.published.v1")
    assert any(e["code"] == DRIVING_LICENCE and e["fees"] for e in announced)
    # The dossier opened before keeps the old process (with its review step); a new one takes the new one.
    await workflow.ok(code_on_v1, "accept", workflow.one_stop)
    assert (await workflow.ok(code_on_v1, "forward", workflow.leader))["step_id"] == "xem-xet"
    code_on_v2 = await workflow.submit(procedure=DRIVING_LICENCE)
    await workflow.ok(code_on_v2, "accept", workflow.one_stop)
    assert (await workflow.ok(code_on_v2, "forward", workflow.leader))["status"] == 6
    other = workflow.headers("agency_leader", agency=OTHER_AGENCY)
    assert (
        await workflow.client.post(
            f"/api/v1/procedures/{DRIVING_LICENCE}/processes/{AGENCY}", json=good, headers=other
        )
    ).status_code == 403


async def test_catalog_import_needs_an_operator(workflow: Workflow) -> None:
    csv_text = (
        "code,name,field_name,agency_id,agency_name,agency_level,processing_time_value,processing_time_unit,"
        "online_level,components,fees,result_documents,signature_required,result_delivery\n"
        "1.000002.000.00.00.H56,Cấp phép thử hai,Thử nghiệm,000.00.03.H56,Sở Tư pháp,department,3,working_days,full,Đơn,,,,\n"
    )
    headers = {"content-type": "text/csv"}
    denied = await workflow.client.post(
        "/api/v1/procedures/import", content=csv_text, headers=headers | workflow.one_stop
    )
    assert denied.status_code == 403
    ok = await workflow.client.post(
        "/api/v1/procedures/import",
        content=csv_text,
        headers=headers | workflow.headers("provincial_operator"),
    )
    assert ok.json() == {"imported": 1, "announced": 1}
    codes = {p["code"] for p in (await workflow.client.get("/api/v1/procedures")).json()}
    assert "1.000002.000.00.00.H56" in codes and len(codes) >= 22


# ------------------------------------------------------------------ supervisor
async def test_two_replicas_emit_each_overdue_event_once(workflow: Workflow) -> None:
    workflow.clock.now = local(2026, 3, 2, 8, 0)
    overdue = await workflow.submit(procedure=DRIVING_LICENCE)
    await workflow.ok(overdue, "accept", workflow.one_stop)  # appointment Mon 09/03 08:00
    waiting = await workflow.submit(procedure=DRIVING_LICENCE)  # online, never decided: 8 working hours
    later = local(2026, 3, 10, 9, 0)
    ctx = workflow.app.state.workflow
    transaction = workflow.app.state.runtime.transaction
    replicas = [
        deadline_supervisor(
            transaction, ctx, every=1, lease_seconds=60, holder=f"replica-{i}", clock=lambda: later
        )
        for i in range(2)
    ]
    results = await asyncio.gather(
        *(r.run_once() for r in replicas), *(r.run_once() for r in replicas), return_exceptions=True
    )
    assert all(r is None or isinstance(r, NotLeader) for r in results), results
    assert sum(1 for r in results if isinstance(r, NotLeader)) >= 1  # the other replica held the lease
    processing = [
        e for e in await workflow.events("dossier.overdue.v1", overdue) if e["kind"] == "processing"
    ]
    assert len(processing) == 1
    intake = [e for e in await workflow.events("dossier.overdue.v1", waiting) if e["kind"] == "intake"]
    assert len(intake) == 1
    assert len(await workflow.events("dossier.step_overdue.v1", overdue)) == 1
    assert len(await workflow.events("dossier.due_soon.v1", overdue)) == 1
    # The lease expires: the other replica takes over, and still nothing is emitted twice.
    after = local(2026, 3, 11, 9, 0)
    takeover = deadline_supervisor(
        transaction, ctx, every=1, lease_seconds=60, holder="replica-1", clock=lambda: after
    )
    await workflow.sql("UPDATE workflow_lease SET expires_at = now() - interval '1 second'")
    await takeover.run_once()  # takes the expired lease (NotLeader otherwise)
    assert (
        len([e for e in await workflow.events("dossier.overdue.v1", overdue) if e["kind"] == "processing"])
        == 1
    )


# ------------------------------------------------------------------ audit
async def test_audit_chain_verifies_and_names_the_edited_entry(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    auditor = workflow.headers("auditor", agency=None)
    verdict = (await workflow.client.get("/api/v1/audit/verify", headers=auditor)).json()
    assert verdict["ok"] and verdict["checked"] >= 2
    target = (
        await workflow.sql(
            "SELECT seq, actor FROM workflow_audit WHERE target = :t AND action = 'dossier.accept'",
            t=code,
        )
    ).one()
    await workflow.sql("UPDATE workflow_audit SET actor = 'ke-gian' WHERE seq = :s", s=target.seq)
    try:
        broken = (await workflow.client.get("/api/v1/audit/verify", headers=auditor)).json()
        assert not broken["ok"] and broken["first_broken_seq"] == target.seq
        assert str(target.seq) in broken["message"]
        assert (
            await workflow.client.get("/api/v1/audit/verify", headers=workflow.one_stop)
        ).status_code == 403
    finally:
        await workflow.sql(
            "UPDATE workflow_audit SET actor = :a WHERE seq = :s", a=target.actor, s=target.seq
        )
    async with workflow.app.state.runtime.transaction() as session:
        assert (await service.verify_audit(session, batch=3)).ok  # also across pages
    async with workflow.app.state.runtime.engine.begin() as conn:
        actor = (
            await conn.execute(text("SELECT actor FROM workflow_audit WHERE seq = :s"), {"s": target.seq})
        ).scalar_one()
    assert actor == target.actor == "mot-cua-1"


async def test_building_permit_has_a_payment_step(workflow: Workflow) -> None:
    processes = await workflow.client.get(
        f"/api/v1/procedures/{BUILDING_PERMIT}/processes/{AGENCY}", headers=workflow.one_stop
    )
    steps = processes.json()[0]["definition"]["steps"]
    assert [s["kind"] for s in steps][-2:] == ["payment", "result"]


def test_dvc_audit_verify_exits_2_and_names_the_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx
    from typer.testing import CliRunner

    from dvc_common.cli import app

    broken = {
        "ok": False,
        "checked": 9,
        "first_broken_seq": 4,
        "head_mismatch_seq": None,
        "message": "bản ghi số 4",
    }
    calls: list[str] = []

    def fake_get(url: str, **kw: Any) -> Any:
        calls.append(url)
        return type("R", (), {"status_code": 200, "json": lambda self: broken, "text": ""})()

    monkeypatch.setattr(httpx, "get", fake_get)  # the module cli_audit calls
    result = CliRunner().invoke(app, ["audit", "verify", "--token", "t"])
    assert result.exit_code == 2 and '"first_broken_seq": 4' in result.output
    assert calls == ["http://127.0.0.1:8002/api/v1/audit/verify"]


async def test_inter_agency_step_is_handled_by_the_other_agency(workflow: Workflow) -> None:
    procedure = "1.001091.000.00.00.H56"  # đăng ký biến động đất đai, 10 ngày làm việc
    owner = "000.00.06.H56"
    tax = "000.00.04.H56"
    admin = workflow.headers("agency_leader", agency=owner)
    definition = {
        "steps": [
            step("tiep-nhan", "one_stop_officer", 4, ["tham-dinh"]),
            step("tham-dinh", hours=24, nxt=["thue"]),
            step("thue", hours=16, nxt=["ky"], kind="inter_agency") | {"agency_id": tax},
            step("ky", "agency_leader", 8, ["thu-phi"], kind="signature"),
            {
                "id": "thu-phi",
                "name": "Thu lệ phí",
                "role": "one_stop_officer",
                "kind": "payment",
                "next": ["tra"],
            },
            step("tra", "one_stop_officer", kind="result"),
        ]
    }
    draft = (
        await workflow.client.post(
            f"/api/v1/procedures/{procedure}/processes/{owner}", json=definition, headers=admin
        )
    ).json()
    assert (
        await workflow.client.post(f"/api/v1/processes/{draft['id']}/publish", headers=admin)
    ).status_code == 200
    code = await workflow.submit(procedure=procedure, agency=owner)
    own = workflow.headers("one_stop_officer", "processing_officer", "agency_leader", agency=owner)
    tax_officer = workflow.headers("processing_officer", agency=tax, sub="thue-1", name="Cán bộ thuế")
    await workflow.ok(code, "accept", own)
    assert (await workflow.act(code, "forward", tax_officer)).status_code == 403  # not their step yet
    assert (await workflow.ok(code, "forward", own))["step_id"] == "thue"
    inbox = await workflow.client.get(
        "/api/v1/work-queue", params={"scope": "inter_agency"}, headers=tax_officer
    )
    assert code in {i["code"] for i in inbox.json()["items"]}
    assert (await workflow.ok(code, "forward", tax_officer))["step_id"] == "ky"
    inbox = await workflow.client.get(
        "/api/v1/work-queue", params={"scope": "inter_agency"}, headers=tax_officer
    )
    assert code not in {i["code"] for i in inbox.json()["items"]}
    assert (await workflow.act(code, "forward", tax_officer)).status_code == 403  # back with the owner
    slip = (await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=own)).json()[
        "control_slip"
    ]
    assert [r["officer_name"] for r in slip if r["step_id"] == "thue"] == ["Cán bộ thuế"]


async def test_transfer_to_another_agency_and_back(workflow: Workflow) -> None:
    code = await workflow.submit(procedure=BUILDING_PERMIT)
    await workflow.ok(code, "accept", workflow.one_stop)
    police = "000.00.17.H56"
    inspector = workflow.headers(
        "processing_officer", "department_head", agency=police, sub="thanh-tra-1", name="Cán bộ thanh tra"
    )
    assert (await workflow.act(code, "forward", inspector)).status_code == 403
    missing = await workflow.act(code, "transfer", workflow.leader, reason="Xin ý kiến")
    assert missing.status_code == 422
    sent = await workflow.ok(
        code, "transfer", workflow.leader, agency_id=police, reason="Xin ý kiến thanh tra"
    )
    assert sent["status"] == 4 and sent["step_id"] == "xu-ly"
    inbox = (
        await workflow.client.get("/api/v1/work-queue", params={"scope": "inter_agency"}, headers=inspector)
    ).json()
    assert code in {i["code"] for i in inbox["items"]}
    onward = await workflow.act(code, "transfer", inspector, agency_id=OTHER_AGENCY, reason="Chuyển tiếp")
    assert onward.status_code == 403
    assert (await workflow.ok(code, "forward", inspector))["step_id"] == "xem-xet"
    assert (await workflow.act(code, "forward", inspector)).status_code == 403
    history = (await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.leader)).json()
    assert any(h["action"] == "transfer" and police in h["note"] for h in history["lifecycle"]["history"])


async def test_recorded_chain_head_reveals_a_truncated_log(workflow: Workflow) -> None:
    code = await workflow.submit()
    await workflow.ok(code, "accept", workflow.one_stop)
    ctx = workflow.app.state.workflow
    async with workflow.app.state.runtime.transaction() as session:
        await service.supervise(session, ctx, local(2026, 1, 1, 0, 0))  # records the chain head
    last = (await workflow.sql("SELECT * FROM workflow_audit ORDER BY seq DESC LIMIT 1")).one()
    await workflow.sql("DELETE FROM workflow_audit WHERE seq = :s", s=last.seq)
    try:
        async with workflow.app.state.runtime.transaction() as session:
            verdict = await service.verify_audit(session)
        assert not verdict.ok and verdict.first_broken_seq is None and verdict.checkpoint_mismatch == last.seq
    finally:
        await workflow.sql(
            "INSERT INTO workflow_audit (seq, at, actor, action, target, content, prev_hash, hash)"
            " VALUES (:seq, :at, :actor, :action, :target, CAST(:content AS json), :prev_hash, :hash)",
            seq=last.seq,
            at=last.at,
            actor=last.actor,
            action=last.action,
            target=last.target,
            content=json.dumps(last.content, ensure_ascii=False),
            prev_hash=last.prev_hash,
            hash=last.hash,
        )
    async with workflow.app.state.runtime.transaction() as session:
        assert (await service.verify_audit(session)).ok
