"""Process versions (issue 15/16): one in force per procedure and agency, superseded ones say so, failed
drafts can be deleted, a fee-charging procedure needs a payment step, drafts name a performing agency."""

from __future__ import annotations

from typing import Any

from workflow_support import Workflow

LAWYER = "1.001233.000.00.00.H56"  # Cấp giấy phép hành nghề luật sư: 7 working days, lệ phí 100.000 đ
JUSTICE = "000.00.03.H56"  # Sở Tư pháp tỉnh Lai Châu


def steps(*, payment: bool) -> dict[str, Any]:
    def hours(n: int) -> dict[str, Any]:
        return {"value": n, "unit": "working_hours"}

    listed: list[dict[str, Any]] = [
        {"id": "tn", "name": "Tiếp nhận", "role": "one_stop_officer", "budget": hours(4), "next": ["xl"]},
        {"id": "xl", "name": "Xử lý", "role": "processing_officer", "budget": hours(40)},
    ]
    if payment:
        listed[1]["next"] = ["tp"]
        listed.append(
            {"id": "tp", "name": "Thu lệ phí", "role": "one_stop_officer", "kind": "payment", "next": ["tr"]}
        )
    else:
        listed[1]["next"] = ["tr"]
    listed.append({"id": "tr", "name": "Trả kết quả", "role": "one_stop_officer", "kind": "result"})
    return {"steps": listed}


async def test_one_version_in_force_superseded_ones_say_so_and_failed_drafts_can_be_deleted(
    workflow: Workflow,
) -> None:
    admin = workflow.headers("agency_leader", agency=JUSTICE, sub="lanh-dao-tp")
    url = f"/api/v1/procedures/{LAWYER}/processes/{JUSTICE}"
    # A fee-charging procedure refuses a process without a payment step, in Vietnamese.
    no_fee_step = (await workflow.client.post(url, json=steps(payment=False), headers=admin)).json()
    refused = await workflow.client.post(f"/api/v1/processes/{no_fee_step['id']}/publish", headers=admin)
    assert refused.status_code == 422
    assert any("Thực hiện nghĩa vụ tài chính" in r and "phí" in r for r in refused.json()["reasons"])
    # The failed draft can be deleted; a published version cannot.
    deleted = await workflow.client.delete(f"/api/v1/processes/{no_fee_step['id']}", headers=admin)
    assert deleted.status_code == 204
    assert no_fee_step["id"] not in {p["id"] for p in (await workflow.client.get(url, headers=admin)).json()}
    for _ in range(2):
        draft = (await workflow.client.post(url, json=steps(payment=True), headers=admin)).json()
        published = await workflow.client.post(f"/api/v1/processes/{draft['id']}/publish", headers=admin)
        assert published.status_code == 200, published.text
    versions = (await workflow.client.get(url, headers=admin)).json()
    in_force = [v for v in versions if v["in_force"]]
    assert len(in_force) == 1 and in_force[0]["id"] == draft["id"] and in_force[0]["state"] == "published"
    older = [v for v in versions if v["published_at"] and not v["in_force"]]
    assert older and all(v["state"] == "superseded" and v["superseded_at"] for v in older)
    assert {v["state_name"] for v in older} == {"Đã được thay thế"}
    kept = await workflow.client.delete(f"/api/v1/processes/{draft['id']}", headers=admin)
    assert kept.status_code == 409 and "bản nháp" in kept.json()["detail"]
    # A new dossier follows the version in force.
    code = await workflow.submit(procedure=LAWYER, agency=JUSTICE)
    dossier = (await workflow.client.get(f"/api/v1/dossiers/{code}")).json()
    assert dossier["step_id"] == "tn"


async def test_a_draft_for_an_agency_that_does_not_perform_the_procedure_is_refused(
    workflow: Workflow,
) -> None:
    operator = workflow.headers("provincial_operator")
    for agency in ("000.99.99.H56", "000.00.14.H56"):  # unknown; a real agency not performing it
        refused = await workflow.client.post(
            f"/api/v1/procedures/{LAWYER}/processes/{agency}", json=steps(payment=True), headers=operator
        )
        assert refused.status_code == 422, refused.text
        assert "không có trong danh sách cơ quan thực hiện" in refused.json()["detail"]
    rows = await workflow.sql("SELECT count(*) FROM workflow_process WHERE agency_id = '000.99.99.H56'")
    assert rows.scalar_one() == 0


async def test_an_inter_agency_step_naming_an_unknown_agency_is_refused(workflow: Workflow) -> None:
    admin = workflow.headers("agency_leader", agency=JUSTICE, sub="lanh-dao-tp")
    definition = steps(payment=True)
    definition["steps"][1] |= {"kind": "inter_agency", "agency_id": "000.77.77.H56"}
    refused = await workflow.client.post(
        f"/api/v1/procedures/{LAWYER}/processes/{JUSTICE}", json=definition, headers=admin
    )
    assert refused.status_code == 422 and "000.77.77.H56" in refused.json()["detail"]
    definition["steps"][1]["agency_id"] = "000.00.04.H56"  # Sở Tài chính: known
    accepted = await workflow.client.post(
        f"/api/v1/procedures/{LAWYER}/processes/{JUSTICE}", json=definition, headers=admin
    )
    assert accepted.status_code == 201, accepted.text
