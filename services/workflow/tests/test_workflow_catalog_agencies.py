"""The catalog as workflow publishes it: the e-form schema and the performing agencies reach
`procedure.published.v1` (issue 15, contract K1)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from workflow_support import Workflow, local

from dvc_common.events import ProcedurePublished
from dvc_workflow import service
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.settings import SEED_CATALOG

CRIMINAL_RECORD = "2.000488.000.00.00.H56"  # Phiếu lý lịch tư pháp: has an e-form


async def test_published_procedure_carries_the_eform_schema_and_its_agencies(workflow: Workflow) -> None:
    catalog = {p.code: p for p in load_catalog(SEED_CATALOG)}
    announced = {
        e["code"]: ProcedurePublished.model_validate(e)
        for e in await workflow.events("procedure.published.v1")
    }
    assert set(announced) == set(catalog)
    for code, procedure in catalog.items():
        event = announced[code]
        assert event.form_schema == procedure.eform_schema, code
        assert procedure.agency_id in {a.agency_id for a in event.agencies}, code
    criminal = announced[CRIMINAL_RECORD]
    assert criminal.form_schema is not None and criminal.form_schema.get("properties")
    own = next(a for a in criminal.agencies if a.agency_id == criminal.agency_id)
    assert own.fees == criminal.fees and own.agency_name


BIRTH = "1.001193.000.00.00.H56"  # Đăng ký khai sinh: a commune-level procedure
MUONG_TE = "000.09.30.H56"  # Ủy ban nhân dân Xã Mường Tè
IDENTITY_TREE = Path(__file__).parents[2] / "identity/src/dvc_identity/data/agencies.json"


def test_every_agency_the_catalog_names_is_in_identitys_tree() -> None:
    tree = {a["id"]: a for a in json.loads(IDENTITY_TREE.read_text(encoding="utf-8"))}
    for procedure in load_catalog(SEED_CATALOG):
        for agency in procedure.performing_agencies():
            assert agency.agency_id in tree, (procedure.code, agency.agency_id)
            assert agency.agency_name == tree[agency.agency_id]["name"], (procedure.code, agency.agency_id)
            receiving = agency.receiving_agency_id
            assert receiving is None or receiving in tree, (procedure.code, receiving)
    communes = {a["id"] for a in tree.values() if a["level"] == "commune" and a["active"]}
    birth = next(p for p in load_catalog(SEED_CATALOG) if p.code == BIRTH)
    assert {a.agency_id for a in birth.performing_agencies()} == communes


async def test_a_commune_level_procedure_is_filed_at_any_commune_on_its_own_process(
    workflow: Workflow,
) -> None:
    announced = [e for e in await workflow.events("procedure.published.v1") if e["code"] == BIRTH]
    assert MUONG_TE in {a["agency_id"] for a in announced[-1]["agencies"]}
    processes = await workflow.client.get(
        f"/api/v1/procedures/{BIRTH}/processes/{MUONG_TE}", headers=workflow.headers("processing_officer")
    )
    assert [p["state"] for p in processes.json()] == ["published"]
    code = await workflow.submit(procedure=BIRTH, agency=MUONG_TE)
    one_stop = workflow.headers("one_stop_officer", agency=MUONG_TE, sub="mot-cua-mt", name="Lò Thị Hoa")
    accepted = await workflow.ok(code, "accept", one_stop)
    assert accepted["status"] == 2 and accepted["agency_id"] == MUONG_TE and accepted["appointment_at"]


def _procedure(code: str, processing_time: object) -> dict[str, object]:
    return {
        "code": code,
        "name": "Thủ tục thử thời hạn",
        "field_name": "Thử nghiệm",
        "agency_id": "000.00.03.H56",
        "agency_name": "Sở Tư pháp tỉnh Lai Châu",
        "processing_time": processing_time,
        "online_level": "full",
        "components": ["Đơn"],
    }


async def test_half_a_working_day_is_four_working_hours_not_zero(workflow: Workflow) -> None:
    operator = workflow.headers("provincial_operator")
    code_text, code_dict = "1.000701.000.00.00.H56", "1.000702.000.00.00.H56"
    body = [
        _procedure(code_text, "0,5 ngày làm việc"),
        _procedure(code_dict, {"value": 0.5, "unit": "working_days"}),
    ]
    imported = await workflow.client.post("/api/v1/procedures/import", json=body, headers=operator)
    assert imported.status_code == 200, imported.text
    ctx: service.Context = workflow.app.state.workflow
    workflow.clock.now = local(2026, 3, 2, 9, 0)  # Monday
    for procedure in (code_text, code_dict):
        dossier = await workflow.submit(procedure=procedure, agency="000.00.03.H56")
        leader = workflow.headers("one_stop_officer", agency="000.00.03.H56", sub="mc-tp")
        accepted = await workflow.ok(dossier, "accept", leader)
        received, appointment = (
            datetime.fromisoformat(accepted[k]) for k in ("received_at", "appointment_at")
        )
        assert ctx.calendar.working_time_between(received, appointment) == timedelta(hours=4), procedure
    same_day = await workflow.client.post(
        "/api/v1/procedures/import",
        json=[_procedure("1.000703.000.00.00.H56", "trong ngày")],
        headers=operator,
    )
    assert same_day.status_code == 200
    stored = {p["code"]: p for p in (await workflow.client.get("/api/v1/procedures")).json()}
    assert stored["1.000703.000.00.00.H56"]["definition"]["processing_time"] == {
        "value": 8,
        "unit": "working_hours",
    }


async def test_a_fraction_of_an_hour_is_refused_in_vietnamese(workflow: Workflow) -> None:
    refused = await workflow.client.post(
        "/api/v1/procedures/import",
        json=[_procedure("1.000704.000.00.00.H56", "1,5 giờ làm việc")],
        headers=workflow.headers("provincial_operator"),
    )
    assert refused.status_code == 422 and refused.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert "số giờ làm việc nguyên" in refused.json()["detail"]


async def test_a_catalog_that_is_not_utf8_is_refused_and_changes_nothing(workflow: Workflow) -> None:
    before = (await workflow.client.get("/api/v1/procedures")).json()
    operator = workflow.headers("provincial_operator")
    for content_type, raw in (
        (
            "text/csv",
            "code,name\n1.000705.000.00.00.H56,Th\u1ee7 t\u1ee5c".encode("cp1258", "replace") + b"\xff\xfe",
        ),
        ("application/json", b'[{"code": "\xc0\xaf"}]'),
    ):
        refused = await workflow.client.post(
            "/api/v1/procedures/import", content=raw, headers=operator | {"content-type": content_type}
        )
        assert refused.status_code in (400, 422), refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "UTF-8" in refused.json()["detail"]
    assert (await workflow.client.get("/api/v1/procedures")).json() == before


CENTRE = "000.01.01.H56"  # Trung tâm Phục vụ hành chính công tỉnh Lai Châu
LAND = "1.003003.000.00.00.H56"  # Cấp giấy phép khai thác nước mặt (Sở Nông nghiệp và Môi trường)
AGRICULTURE = "000.00.06.H56"


async def test_the_provincial_centre_receives_for_a_department(workflow: Workflow) -> None:
    desk = workflow.headers("one_stop_officer", agency=CENTRE, sub="mc-ttpvhcc", name="Điêu Thị Hương")
    elsewhere = workflow.headers("one_stop_officer", agency="000.00.03.H56", sub="mc-tp-2")
    code = await workflow.submit(procedure=LAND, agency=AGRICULTURE)

    async def desk_queue() -> set[str]:
        page = await workflow.client.get("/api/v1/work-queue", params={"scope": "agency"}, headers=desk)
        return {i["code"] for i in page.json()["items"]}

    assert code in await desk_queue()
    assert (await workflow.act(code, "accept", elsewhere)).status_code == 403
    accepted = await workflow.ok(code, "accept", desk)
    assert accepted["status"] == 2 and accepted["agency_id"] == AGRICULTURE
    assert (await workflow.act(code, "forward", desk)).status_code == 403  # handling is the department's
    assert code not in await desk_queue()  # at the department now
    timeline = await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=desk)
    assert timeline.status_code == 200
