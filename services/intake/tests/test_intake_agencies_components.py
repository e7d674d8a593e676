"""The performing agency is chosen among the procedure's (K1), a one-stop officer files only for an
agency their desk receives for (issue 16), every component the procedure lists is present, and the
e-form's violations are told per field in Vietnamese (issue 15); every refusal stores nothing."""

from __future__ import annotations

from typing import Any

from intake_support import PDF, Intake, unique_agency

from dvc_common.events import DOSSIER_SUBMITTED


def _agencies(*ids: str, receiving: str | None = None) -> list[dict[str, Any]]:
    return [
        {"agency_id": a, "agency_name": f"UBND xã {n}", "receiving_agency_id": receiving}
        for n, a in enumerate(ids, start=1)
    ]


async def _submitted_agency(intake: Intake, code: str) -> str:
    found = await intake.scalar(
        "SELECT body::jsonb->'data'->>'agency_id' FROM outbox_message"
        " WHERE routing_key = :k AND body::jsonb->'data'->>'code' = :c",
        k=DOSSIER_SUBMITTED.routing_key,
        c=code,
    )
    return str(found)


async def test_the_applicant_chooses_the_performing_agency_among_the_procedures(intake: Intake) -> None:
    commune_a, commune_b, elsewhere = unique_agency(), unique_agency(), unique_agency()
    procedure = f"1.001193.000.00.00.{commune_a[-3:]}"
    await intake.add_procedure(procedure, commune_a, agencies=_agencies(commune_a, commune_b))
    shown = (await intake.client.get(f"/api/v1/procedures/{procedure}")).json()
    assert [a["agency_id"] for a in shown["agencies"]] == [commune_a, commune_b]

    before = await intake.counts()
    unchosen = await intake.submit(procedure=procedure)
    assert unchosen.status_code == 422 and unchosen.json()["type"].endswith("agency-choice-required")
    assert "chọn cơ quan" in unchosen.json()["detail"] and commune_b in unchosen.json()["detail"]
    other = await intake.submit(procedure=procedure, agency_id=elsewhere)
    assert other.status_code == 422 and other.json()["type"].endswith("agency-not-performing")
    assert "không thực hiện thủ tục" in other.json()["detail"]
    assert set(other.json()["choices"]) == {commune_a, commune_b}
    assert await intake.counts() == before

    chosen = await intake.submit(procedure=procedure, agency_id=commune_b)
    assert chosen.status_code == 201, chosen.text
    code = chosen.json()["code"]
    assert code.startswith(commune_b + "-")
    assert await _submitted_agency(intake, code) == commune_b

    # With one performing agency, it is the default.
    single = unique_agency()
    only = f"1.001194.000.00.00.{single[-3:]}"
    await intake.add_procedure(only, single, agencies=_agencies(single))
    default = await intake.submit(procedure=only)
    assert default.status_code == 201 and default.json()["code"].startswith(single + "-")


async def test_a_one_stop_officer_files_only_for_agencies_their_desk_receives_for(intake: Intake) -> None:
    department, centre, stranger = unique_agency(), unique_agency(), unique_agency()
    procedure = f"1.003561.000.00.00.{department[-3:]}"
    await intake.add_procedure(procedure, department, agencies=_agencies(department, receiving=centre))
    before = await intake.counts()
    for agency_id in (None, department):
        fields: dict[str, Any] = {"agency_id": agency_id} if agency_id else {}
        refused = await intake.submit(
            procedure=procedure,
            channel=1,
            headers=intake.officer("one_stop_officer", agency=stranger),
            **fields,
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("not-receiving-agency")
    assert await intake.counts() == before
    for desk in (centre, department):  # the receiving centre's desk, and the department's own
        filed = await intake.submit(
            procedure=procedure, channel=1, headers=intake.officer("one_stop_officer", agency=desk)
        )
        assert filed.status_code == 201, filed.text
        assert filed.json()["code"].startswith(department + "-")


async def test_every_listed_component_must_be_present(intake: Intake) -> None:
    agency = unique_agency()
    procedure = f"1.003562.000.00.00.{agency[-3:]}"
    names = ["Đơn đề nghị cấp giấy phép xây dựng", "Bản sao giấy tờ về quyền sử dụng đất", "Bản vẽ thiết kế"]
    await intake.add_procedure(procedure, agency, components=names)
    shown = (await intake.client.get(f"/api/v1/procedures/{procedure}")).json()
    assert shown["components"] == names
    before = await intake.counts()
    one = await intake.submit(procedure=procedure)
    assert one.status_code == 422 and one.json()["type"].endswith("missing-components")
    assert one.json()["missing"] == names[1:] and "Bản vẽ thiết kế" in one.json()["detail"]
    two_of_the_same = await intake.submit(
        procedure=procedure, files=[("a.pdf", PDF, "application/pdf")] * 3, components=[1, 1, 2]
    )
    assert two_of_the_same.json()["missing"] == ["Bản vẽ thiết kế"]
    out_of_range = await intake.submit(procedure=procedure, components=[4])
    assert out_of_range.status_code == 422 and out_of_range.json()["type"].endswith("invalid-components")
    assert await intake.counts() == before

    citizen = intake.citizen("cd-du-thanh-phan")
    every = await intake.submit(
        procedure=procedure,
        headers=citizen,
        files=[(f"{n}.pdf", PDF, "application/pdf") for n in ("ban-ve", "don", "so-do", "phu-luc")],
        components=[3, 1, 2, 3],
    )
    assert every.status_code == 201, every.text
    detail = (await intake.client.get(f"/api/v1/dossiers/{every.json()['code']}", headers=citizen)).json()
    assert [(f["name"], f["component"]) for f in detail["files"]] == [
        ("ban-ve.pdf", 3), ("don.pdf", 1), ("so-do.pdf", 2), ("phu-luc.pdf", 3)
    ]  # fmt: skip


async def test_eform_violations_are_told_per_field_in_vietnamese(intake: Intake) -> None:
    agency = unique_agency()
    procedure = f"2.000488.000.00.00.{agency[-3:]}"
    schema = {  # the seed catalog's Phiếu lý lịch tư pháp
        "type": "object",
        "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "required": ["ho_ten", "ngay_sinh", "so_dinh_danh", "muc_dich"],
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ và tên"},
            "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
            "so_dinh_danh": {"type": "string", "pattern": "^[0-9]{12}$", "title": "Số định danh cá nhân"},
            "muc_dich": {"type": "string", "title": "Mục đích sử dụng Phiếu"},
            "so_luong": {"type": "integer", "minimum": 1, "maximum": 10, "title": "Số lượng Phiếu"},
            "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính"},
        },
        "additionalProperties": False,
    }
    await intake.add_procedure(procedure, agency, form_schema=schema)
    bad = await intake.submit(
        procedure=procedure,
        eform={"ho_ten": 5, "ngay_sinh": "31/02/1990", "so_dinh_danh": "12", "so_luong": 11,
               "gioi_tinh": "X", "ghi_chu": "?"},
    )  # fmt: skip
    assert bad.status_code == 422, bad.text
    messages = {e["field"]: e["message"] for e in bad.json()["errors"]}
    assert messages == {
        "eform": "Tờ khai có mục không thuộc mẫu: «ghi_chu»",
        "eform.muc_dich": "Mục «Mục đích sử dụng Phiếu» là bắt buộc",
        "eform.ho_ten": "Mục «Họ và tên» phải là chuỗi ký tự",
        "eform.ngay_sinh": "Mục «Ngày sinh» phải là ngày theo dạng YYYY-MM-DD",
        "eform.so_dinh_danh": "Mục «Số định danh cá nhân» không đúng định dạng quy định",
        "eform.so_luong": "Mục «Số lượng Phiếu» không được lớn hơn 10",
        "eform.gioi_tinh": "Mục «Giới tính» phải là một trong các giá trị «Nam», «Nữ»",
    }
    missing = await intake.submit(procedure=procedure)
    assert missing.json()["errors"] == [
        {
            "field": "eform",
            "message": "Chưa khai Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (tờ khai điện tử của thủ tục)",
        }
    ]
