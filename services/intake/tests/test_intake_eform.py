"""The e-form is validated against the procedure's JSON Schema; the result delivery must be one the
procedure offers, and by post needs an address; every refusal stores nothing."""

from __future__ import annotations

from typing import Any

from intake_support import Intake, unique_agency

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ho_ten", "so_dinh_danh", "dien_tich_m2"],
    "properties": {
        "ho_ten": {"type": "string", "minLength": 2},
        "so_dinh_danh": {"type": "string", "pattern": "^[0-9]{12}$"},
        "dien_tich_m2": {"type": "number", "exclusiveMinimum": 0},
    },
    "additionalProperties": False,
}
VALID = {"ho_ten": "Nguyễn Thị Bình", "so_dinh_danh": "011300009876", "dien_tich_m2": 82.5}


async def _procedure(intake: Intake) -> str:
    agency = unique_agency()
    code = f"1.000003.000.00.00.{agency[-3:]}"
    await intake.add_procedure(code, agency, form_schema=SCHEMA, result_delivery=["counter", "post"])
    return code


async def test_eform_schema_violations_are_listed_and_nothing_is_stored(intake: Intake) -> None:
    procedure = await _procedure(intake)
    shown = (await intake.client.get(f"/api/v1/procedures/{procedure}")).json()
    assert shown["form_schema"] == SCHEMA and shown["result_delivery"] == ["counter", "post"]
    before = await intake.counts()
    bad = await intake.submit(
        procedure=procedure, eform={"ho_ten": "B", "so_dinh_danh": "12", "dien_tich_m2": -1, "x": 1}
    )
    assert bad.status_code == 422, bad.text
    problem = bad.json()
    assert problem["type"].endswith("invalid-eform")
    fields = {e["field"] for e in problem["errors"]}
    assert {"eform.ho_ten", "eform.so_dinh_danh", "eform.dien_tich_m2", "eform"} <= fields
    missing = await intake.submit(procedure=procedure)
    assert missing.status_code == 422 and missing.json()["type"].endswith("invalid-eform")
    online = await intake.submit(procedure=procedure, eform=VALID, result_delivery="online")
    assert online.status_code == 422 and online.json()["type"].endswith("result-delivery-not-offered")
    no_address = await intake.submit(procedure=procedure, eform=VALID, result_delivery="post")
    assert no_address.status_code == 422 and no_address.json()["type"].endswith("invalid-dossier")
    assert await intake.counts() == before

    ok = await intake.submit(
        procedure=procedure,
        eform=VALID,
        result_delivery="post",
        postal_address="Số 12 đường Trần Hưng Đạo, phường Tân Phong, thành phố Lai Châu",
    )
    assert ok.status_code == 201, ok.text
    stored = await intake.scalar(
        "SELECT eform->>'so_dinh_danh' FROM intake_dossier WHERE code = :c", c=ok.json()["code"]
    )
    assert stored == "011300009876"
