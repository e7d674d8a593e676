"""The control slip (Mẫu 06) and the register (Mẫu 07) downloaded from workflow for a dossier driven by
officers: every step with who handed it over and who took it, the letterhead from the agency tree, the
applicant from the contact event; readable by those the shared policy lets read the dossier (the
register: the agency's officers and the province-wide roles), 404/403 for anyone else. The events the
slips in intake are drawn from carry the officer, the actual receipt time and the supplement's items."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from workflow_support import AGENCY, DRIVING_LICENCE, OTHER_AGENCY, Workflow, local

from dvc_common.events import AgencyUpserted, DossierContactRegistered, DossierSubmitted, SubmittedFile
from dvc_common.pdf.inspection import misplaced_lines, plain_text, render_png
from dvc_workflow import service
from dvc_workflow.service.directory import record_agency, record_applicant

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


async def _directory(workflow: Workflow, code: str) -> None:
    """What identity and intake publish: the agency tree and the applicant's contact."""
    now = datetime.now(UTC)
    async with workflow.app.state.runtime.transaction() as session:
        for agency_id, name, parent in (
            ("000.00.00.H56", "Ủy ban nhân dân tỉnh Lai Châu", None),
            (AGENCY, "Sở Xây dựng tỉnh Lai Châu", "000.00.00.H56"),
        ):
            level = "province" if parent is None else "department"
            await record_agency(
                session,
                AgencyUpserted(
                    agency_id=agency_id, name=name, level=level, parent_id=parent, active=True, updated_at=now
                ),
            )
        contact = DossierContactRegistered(
            code=code, applicant_name="Giàng Thị Mỷ", email="my@example.vn", phone="0912345678", channels=None
        )
        await record_applicant(session, contact)


async def _submit(workflow: Workflow) -> str:
    """As intake submits: a real dossier code (4-digit sequence), through workflow's own use-case."""
    code = f"{AGENCY}-260302-{uuid.uuid4().int % 10_000:04d}"
    submitted = DossierSubmitted(
        code=code,
        procedure_code=DRIVING_LICENCE,
        agency_id=AGENCY,
        channel=2,
        applicant_kind=1,
        submitted_at=workflow.clock.now,
        files=[SubmittedFile(name="to-khai.pdf", content_type="application/pdf", size=10, sha256="ab" * 32)],
        owner_subject="cd-my",
    )
    async with workflow.app.state.runtime.transaction() as session:
        await service.open_dossier(session, workflow.app.state.workflow, submitted, correlation_id=code)
    return code


def _looked_at(pdf: bytes, name: str, tmp_path: Path) -> str:
    assert pdf.startswith(b"%PDF-") and render_png(pdf, tmp_path, name)
    assert misplaced_lines(pdf) == [], f"{name}: text off the page or in its margin"
    return plain_text(pdf)


async def test_control_slip_and_register_of_a_dossier_driven_by_officers(
    workflow: Workflow, tmp_path: Path
) -> None:
    workflow.clock.now = local(2026, 3, 2, 16, 20)  # after 15:00: counted from the next working day
    code = await _submit(workflow)
    await _directory(workflow, code)
    await workflow.ok(code, "accept", workflow.one_stop)
    [received] = await workflow.events("dossier.received.v1", code)
    assert received["officer_name"] == "Lò Văn Tâm"
    assert datetime.fromisoformat(received["recorded_at"]) == local(2026, 3, 2, 16, 20)
    assert datetime.fromisoformat(received["received_at"]) == local(2026, 3, 3, 7, 0)
    workflow.clock.now = local(2026, 3, 3, 10, 0)
    await workflow.ok(code, "forward", workflow.leader)
    workflow.clock.now = local(2026, 3, 4, 9, 30)
    await workflow.ok(
        code, "request_supplement", workflow.leader, reason="Ảnh chưa đúng cỡ", items=["Ảnh 4x6 nền trắng"]
    )
    [requested] = await workflow.events("dossier.supplement_requested.v1", code)
    assert requested["items"] == ["Ảnh 4x6 nền trắng"] and requested["officer_name"] == "Nguyễn Văn Bình"
    timeline = (
        await workflow.client.get(f"/api/v1/dossiers/{code}/timeline", headers=workflow.one_stop)
    ).json()
    step_names = [row["step_name"] for row in timeline["control_slip"]]

    slip = await workflow.client.get(f"/api/v1/dossiers/{code}/control-slip.pdf", headers=workflow.one_stop)
    assert slip.status_code == 200 and slip.headers["content-type"] == "application/pdf"
    text = _looked_at(slip.content, "mau-06", tmp_path)
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "SỞ XÂY DỰNG TỈNH LAI CHÂU",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {code}",
        "Hồ sơ của: Giàng Thị Mỷ",
        "Thời gian nhận hồ sơ: 16 giờ 20 phút, ngày 02 tháng 03 năm 2026",  # as the officer received it
        "Thời gian giải quyết được tính từ: 07 giờ 00 phút, ngày 03 tháng 03 năm 2026",
        *step_names,
        "Người nhận: Lò Văn Tâm",
        "Người giao: Lò Văn Tâm",
        "Người nhận: Nguyễn Văn Bình",
        "Nhận lúc: 10:00 03/03/2026",
        "Trước hạn",
    ):
        assert expected in text, expected
    owner = workflow.keys.citizen("cd-my")
    assert (
        await workflow.client.get(f"/api/v1/dossiers/{code}/control-slip.pdf", headers=owner)
    ).status_code == 200
    for stranger in (
        workflow.keys.citizen("cd-other"),
        workflow.headers("one_stop_officer", agency=OTHER_AGENCY),
    ):
        got = await workflow.client.get(f"/api/v1/dossiers/{code}/control-slip.pdf", headers=stranger)
        assert got.status_code == 404

    register = await workflow.client.get(
        f"/api/v1/agencies/{AGENCY}/register.pdf", params=MARCH, headers=workflow.one_stop
    )
    assert register.status_code == 200, register.text
    text = _looked_at(register.content, "mau-07", tmp_path)
    for expected in (
        "SỔ THEO DÕI HỒ SƠ",
        code,
        "Giàng Thị Mỷ",
        "0912345678",
        "16:20 02/03/2026",  # received (the counting start, 03/03 07:00, is on the receipt)
        "17:00 09/03/2026",
        "bổ sung 1 lần",
    ):
        assert expected in text, expected
    assert code in text
    sheet = await workflow.client.get(
        f"/api/v1/agencies/{AGENCY}/register.xlsx",
        params=MARCH,
        headers=workflow.headers("auditor", agency=None),
    )
    assert sheet.status_code == 200
    book = load_workbook(BytesIO(sheet.content)).active
    assert book is not None
    rows = [[c.value for c in row] for row in book.iter_rows(min_row=7)]
    assert [r[1] for r in rows] == [code] and rows[0][4] == "Giàng Thị Mỷ"
    for who in (owner, workflow.headers("one_stop_officer", agency=OTHER_AGENCY)):
        got = await workflow.client.get(f"/api/v1/agencies/{AGENCY}/register.pdf", params=MARCH, headers=who)
        assert got.status_code == 403
    backwards = {"from": "2026-03-31", "to": "2026-03-01"}
    got = await workflow.client.get(
        f"/api/v1/agencies/{AGENCY}/register.pdf", params=backwards, headers=workflow.one_stop
    )
    assert got.status_code == 422
