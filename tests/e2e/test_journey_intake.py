"""Intake's journeys on the real stack (issue 15, and 16 low), as the people who use it see them:
the e-form schema published by workflow's catalog is what intake enforces (in Vietnamese, per field);
online submission needs a VNeID login; the applicant chooses the performing commune; a one-stop desk
files a counter dossier for the owner it identifies by CCCD (identity resolves it, a wrong number is
refused), with a mandate, and only for agencies it receives for; the handling agency's officer sees
the whole dossier while a stranger sees no personal data and no file names."""

from __future__ import annotations

import json
from typing import Any

import httpx
from test_journey_notify import Accounts

from dvc_devkit.devstack import Stack
from e2e_support import PDF, eventually

CRIMINAL_RECORD = "2.000488.000.00.00.H56"  # Phiếu lý lịch tư pháp, Sở Tư pháp: has an e-form
JUSTICE = "000.00.03.H56"
BIRTH = "1.001193.000.00.00.H56"  # Đăng ký khai sinh: every commune performs it
COMMUNE = "000.05.30.H56"
BUILDING_PERMIT = "1.003560.000.00.00.H56"  # Sở Xây dựng, received at the provincial centre
CONSTRUCTION, CENTRE = "000.00.14.H56", "000.01.01.H56"


def _procedure(stack: Stack, code: str, *, schema: bool = False) -> dict[str, Any]:
    """Intake's copy of the procedure, once workflow's procedure.published.v1 reached it."""

    def known() -> dict[str, Any] | None:
        response = httpx.get(stack.url("intake") + f"/api/v1/procedures/{code}", timeout=10)
        found: dict[str, Any] = response.json() if response.status_code == 200 else {}
        return found if found and (found["form_schema"] or not schema) and found["agencies"] else None

    return eventually(known, timeout=60, what=f"intake knows {code} from workflow's catalog")


def _submit(
    stack: Stack, headers: dict[str, str], form: dict[str, Any], files: int = 1, name: str = "to-khai.pdf"
) -> httpx.Response:
    parts = [
        ("files", (name if n == 1 else f"thanh-phan-{n}.pdf", PDF, "application/pdf"))
        for n in range(1, files + 1)
    ]
    return httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data={"dossier": json.dumps(form, ensure_ascii=False)},
        files=parts,
        headers=headers,
        timeout=30,
    )


def _problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["type"].endswith(slug), problem
    return problem


def test_the_eform_workflow_publishes_is_enforced_and_read_by_the_handling_agency(stack: Stack) -> None:
    procedure = _procedure(stack, CRIMINAL_RECORD, schema=True)
    assert procedure["form_schema"]["required"] == ["ho_ten", "ngay_sinh", "so_dinh_danh", "muc_dich"]
    accounts = Accounts(stack)
    citizen = accounts.citizen("011200004567")
    form = {"procedure_code": CRIMINAL_RECORD, "applicant_name": "Lò Văn Sướng", "phone": "0912345678"}

    wrong = _submit(stack, citizen, form | {"eform": {"ho_ten": "Lò Văn Sướng", "ngay_sinh": "17/05/1990",
                                                      "so_dinh_danh": "0112"}})  # fmt: skip
    messages = {e["field"]: e["message"] for e in _problem(wrong, 422, "invalid-eform")["errors"]}
    assert messages == {
        "eform.muc_dich": "Mục «Mục đích sử dụng Phiếu» là bắt buộc",
        "eform.ngay_sinh": "Mục «Ngày sinh» phải là ngày theo dạng YYYY-MM-DD",
        "eform.so_dinh_danh": "Mục «Số định danh cá nhân» không đúng định dạng quy định",
    }
    _problem(_submit(stack, citizen, form), 422, "invalid-eform")

    eform = {"ho_ten": "Lò Văn Sướng", "ngay_sinh": "1990-05-17", "so_dinh_danh": "011200004567",
             "muc_dich": "Bổ sung hồ sơ xin việc", "so_luong": 2}  # fmt: skip
    address = "Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu"
    done = _submit(
        stack,
        citizen,
        form | {"eform": eform, "result_delivery": "post", "postal_address": address},
        name="to-khai-ly-lich-tu-phap.pdf",
    )
    assert done.status_code == 201, done.text
    code = done.json()["code"]
    assert code.startswith(JUSTICE + "-")

    # An officer of the handling agency sees the whole dossier through intake's API.
    officer = accounts.officer(JUSTICE, ["processing_officer"], "Tòng Thị Hoa")
    whole = httpx.get(
        stack.url("intake") + f"/api/v1/dossiers/{code}", headers=officer.headers, timeout=10
    ).json()
    assert whole["full"] is True
    assert whole["applicant"] | {"email": None} == {
        "name": "Lò Văn Sướng", "kind": 1, "kind_name": "Công dân", "identifier": None, "identifier_kind": None,
        "has_vneid": True, "email": None, "phone": "0912345678",
    }  # fmt: skip
    assert whole["eform"] == eform
    assert (whole["result_delivery"], whole["result_delivery_name"], whole["postal_address"]) == (
        "post", "Qua bưu chính công ích", address
    )  # fmt: skip
    [component] = whole["components"]
    assert component["name"] == procedure["components"][0]
    assert [f["name"] for f in component["files"]] == ["to-khai-ly-lich-tu-phap.pdf"]
    # An officer of another agency, and anyone anonymous, get the same 404 as for no dossier.
    stranger = accounts.officer(CONSTRUCTION, ["processing_officer"], "Lò Văn Tám")
    for headers in (stranger.headers, {}):
        hidden = httpx.get(stack.url("intake") + f"/api/v1/dossiers/{code}", headers=headers, timeout=10)
        assert hidden.status_code == 404 and "Sướng" not in hidden.text


def test_online_submission_needs_a_vneid_login(stack: Stack) -> None:
    _procedure(stack, BUILDING_PERMIT)
    form = {"procedure_code": BUILDING_PERMIT, "applicant_name": "Nguyễn Văn An", "email": "an@example.vn"}
    problem = _problem(_submit(stack, {}, form, files=3), 401, "vneid-login-required")
    assert "VNeID" in problem["detail"] and "Bộ phận Một cửa" in problem["detail"]
    assert "bưu chính" in problem["detail"]


def test_the_applicant_chooses_the_commune_that_performs_the_procedure(stack: Stack) -> None:
    procedure = _procedure(stack, BIRTH, schema=True)
    assert COMMUNE in {a["agency_id"] for a in procedure["agencies"]} and len(procedure["agencies"]) > 1
    citizen = Accounts(stack).citizen("011300009876")
    form = {
        "procedure_code": BIRTH,
        "applicant_name": "Giàng Thị Mỷ",
        "eform": {"ho_ten_tre": "Giàng A Nam", "ngay_sinh": "2026-11-20", "gioi_tinh": "Nam",
                  "noi_sinh": "Trạm y tế xã", "ho_ten_me": "Giàng Thị Mỷ"},
    }  # fmt: skip
    files = len(procedure["components"])
    unchosen = _problem(_submit(stack, citizen, form, files=files), 422, "agency-choice-required")
    assert COMMUNE in unchosen["choices"] and "chọn cơ quan" in unchosen["detail"]
    other = _problem(_submit(stack, citizen, form | {"agency_id": CONSTRUCTION}, files=files), 422,
                     "agency-not-performing")  # fmt: skip
    assert "không thực hiện thủ tục" in other["detail"]

    chosen = _submit(stack, citizen, form | {"agency_id": COMMUNE}, files=files)
    assert chosen.status_code == 201, chosen.text
    code = chosen.json()["code"]
    assert code.startswith(COMMUNE + "-")
    # dossier.submitted.v1 carried the chosen commune: workflow opened the dossier there.
    opened = eventually(
        lambda: (
            (r := httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10)).status_code
            == 200
            and r.json()
        ),
        what="workflow opened the dossier",
    )
    assert opened["agency_id"] == COMMUNE


def test_a_counter_dossier_belongs_to_the_owner_identity_resolves(stack: Stack) -> None:
    _procedure(stack, BUILDING_PERMIT)
    accounts = Accounts(stack)
    desk = accounts.officer(
        CENTRE, ["one_stop_officer"], "Vàng Thị Mai", position="Công chức Bộ phận Một cửa"
    )
    form = {
        "procedure_code": BUILDING_PERMIT,
        "applicant_name": "Nguyễn Văn An",
        "channel": 1,
        "digitised": [1, 2, 3],
        "owner_identifier": "012345678901",
        # Ủy quyền: the son files; the dossier is his father's (Lai Châu Điều 10.1.a).
        "authorised_person": {"name": "Nguyễn Văn Bảo", "identifier": "012345670000"},
    }
    # Lù Thị Pà is in the population database but has no VNeID account; 0123456789 is no CCCD.
    for wrong, status, slug in (
        ("011400005678", 422, "owner-not-found"),
        ("0123456789", 422, "invalid-owner-identifier"),
    ):
        refused = _problem(
            _submit(stack, desk.headers, form | {"owner_identifier": wrong}, files=3), status, slug
        )
        assert wrong in refused["detail"]

    filed = _submit(stack, desk.headers, form, files=3, name="ban-quet-don.pdf")
    assert filed.status_code == 201, filed.text
    code = filed.json()["code"]
    assert code.startswith(CONSTRUCTION + "-"), "the performing department's code, received at the centre"

    # It is in the owner's data store once he signs in with VNeID.
    owner = accounts.citizen("012345678901")
    mine = httpx.get(stack.url("intake") + "/api/v1/my/dossiers", headers=owner, timeout=10).json()
    assert code in {d["code"] for d in mine}

    # The handling agency sees who owns it, who filed it, and each component's digitised file.
    handler = accounts.officer(CONSTRUCTION, ["processing_officer"], "Lường Văn Hải")
    whole = httpx.get(
        stack.url("intake") + f"/api/v1/dossiers/{code}", headers=handler.headers, timeout=10
    ).json()
    assert whole["applicant"]["identifier"] == "012345678901" and whole["applicant"]["has_vneid"] is True
    assert whole["applicant"]["identifier_kind"] == "citizen"
    assert whole["authorised_person"] == {"name": "Nguyễn Văn Bảo", "identifier": "012345670000"}
    assert [(c["position"], [f["digitised"] for f in c["files"]]) for c in whole["components"]] == [
        (1, [True]), (2, [True]), (3, [True])
    ]  # fmt: skip

    # Issue 16: a desk that neither performs nor receives for the procedure cannot file it.
    justice_desk = accounts.officer(JUSTICE, ["one_stop_officer"], "Sùng A Páo")
    _problem(_submit(stack, justice_desk.headers, form, files=3), 403, "not-receiving-agency")


def test_the_public_state_of_an_ownerless_counter_dossier_shows_no_names(stack: Stack) -> None:
    _procedure(stack, BUILDING_PERMIT)
    desk = Accounts(stack).officer(CONSTRUCTION, ["one_stop_officer"], "Lò Thị Dung")
    form = {
        "procedure_code": BUILDING_PERMIT,
        "applicant_name": "Hoàng Văn Chiến",
        "channel": 3,
        "digitised": [1],
    }
    filed = _submit(stack, desk.headers, form, files=3, name="CCCD_011200009999_Hoang_Van_Chien.pdf")
    assert filed.status_code == 201, filed.text
    public = httpx.get(stack.url("intake") + f"/api/v1/dossiers/{filed.json()['code']}", timeout=10)
    assert public.status_code == 200 and public.json()["full"] is False
    assert public.json()["files"] == [] and public.json()["applicant"] is None
    assert "CCCD" not in public.text and "Chiến" not in public.text
