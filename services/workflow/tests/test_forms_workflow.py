"""The forms workflow issues (Mẫu 06 control slip, Mẫu 07 register as PDF and XLSX) as a reader sees
them: pages rendered to PNG (kept in DVC_FORMS_PNG_DIR when set), every text line on the page and out
of the margins, every required field with its value, the legal source in the metadata."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from dvc_common.pdf import Letterhead
from dvc_common.pdf.inspection import misplaced_lines, page_count, pdf_metadata, plain_text, render_png
from dvc_workflow.forms import (
    ControlSlip,
    ControlStep,
    Register,
    RegisterEntry,
    render_control_slip,
    render_register_pdf,
    render_register_xlsx,
    step_outcome,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.14.H56-260302-0001"
HEAD = Letterhead(agency="Sở Xây dựng", superior="Ủy ban nhân dân tỉnh Lai Châu", place="Lai Châu")
PROCEDURE = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
SOURCE = "Phụ lục I, Thông tư 03/2025/TT-VPCP ngày 15/9/2025 (hướng dẫn Nghị định 118/2025/NĐ-CP)"
Look = Callable[[bytes, str], str]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ).astimezone(UTC)


@pytest.fixture
def look(tmp_path: Path) -> Look:
    directory = Path(os.environ.get("DVC_FORMS_PNG_DIR") or tmp_path)

    def looked_at(pdf: bytes, name: str) -> str:
        assert pdf.startswith(b"%PDF-")
        assert len(render_png(pdf, directory, name)) == page_count(pdf) >= 1
        assert misplaced_lines(pdf) == [], f"{name}: text off the page or in the margin"
        return plain_text(pdf)

    return looked_at


STEPS = [
    ControlStep(
        "Tiếp nhận hồ sơ",
        "Bộ phận Một cửa Sở Xây dựng",
        None,
        "Trần Văn An",
        _at(2, 8, 15),
        _at(2, 12),
        _at(2, 9, 30),
    ),
    ControlStep(
        "Thẩm định hồ sơ, kiểm tra thực địa",
        "Phòng Quản lý hoạt động xây dựng",
        "Trần Văn An",
        "Lê Thị Hoa",
        _at(2, 9, 30),
        _at(10, 17),
        _at(12, 10),
    ),
    ControlStep(
        "Trình ký giấy phép", "Lãnh đạo Sở", "Lê Thị Hoa", "Phạm Quốc Dũng", _at(12, 10), _at(16, 17), None
    ),
]


def test_step_outcomes_follow_the_step_deadline() -> None:
    assert [step_outcome(s, _at(20, 9)) for s in STEPS] == ["Trước hạn", "Quá hạn", "Đang xử lý (quá hạn)"]
    assert step_outcome(STEPS[2], _at(13, 9)) == "Đang xử lý"
    on_time = ControlStep("x", None, None, None, _at(2, 8), _at(3, 8), _at(3, 8))
    assert step_outcome(on_time, _at(4, 8)) == "Đúng hạn"


def test_control_slip_lists_every_hand_over(look: Look) -> None:
    slip = ControlSlip(
        letterhead=HEAD,
        code=CODE,
        procedure_name=PROCEDURE,
        handling_agency="Sở Xây dựng",
        received_at=_at(2, 8, 15),
        appointment_at=_at(23, 17),
        steps=STEPS,
        issued_at=_at(13, 9),
        tz=TZ,
        applicant_name="Nguyễn Thị Bình",
        coordinating_agencies=("Ủy ban nhân dân xã Sin Suối Hồ",),
        counted_from=_at(2, 8, 15),
    )
    pdf = render_control_slip(slip)
    text = look(pdf, "mau-06")
    assert pdf_metadata(pdf)["Subject"] == f"Mẫu số 06, {SOURCE}"
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "SỞ XÂY DỰNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
        "Hồ sơ của: Nguyễn Thị Bình",
        f"Thủ tục hành chính: {PROCEDURE}",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Xây dựng",
        "Cơ quan phối hợp giải quyết hồ sơ: Ủy ban nhân dân xã Sin Suối Hồ",
        "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 23 tháng 03 năm 2026",
        "Phòng Quản lý hoạt động xây dựng",
        "Thẩm định hồ sơ, kiểm tra thực địa",
        "Người giao: Trần Văn An",
        "Người nhận: Lê Thị Hoa",
        "Nhận lúc: 09:30 02/03/2026",
        "Chuyển tiếp lúc: 10:00 12/03/2026",
        "17:00 10/03/2026",
        "Trước hạn",
        "Quá hạn",
        "Đang xử lý",
        "Người nhận: Phạm Quốc Dũng",
        "Trang 1/1",
    ):
        assert expected in text, expected
    assert "được tính từ" not in text  # received in office hours: the receipt is the counting start


def _entries(n: int) -> list[RegisterEntry]:
    first = _at(2, 8)
    return [
        RegisterEntry(
            code=f"000.00.14.H56-2603{2 + i // 10:02d}-{i % 10 + 1:04d}",
            procedure_name=PROCEDURE if i % 2 else "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
            handling_agency="Sở Xây dựng",
            received_at=first + timedelta(hours=i),
            appointment_at=first + timedelta(days=21, hours=i),
            transferred_at=first + timedelta(hours=i + 1),
            result_at=first + timedelta(days=14) if i % 3 == 0 else None,
            returned_at=first + timedelta(days=15) if i % 3 == 0 else None,
            applicant_name=f"Nguyễn Văn Hộ {i + 1}",
            applicant_contact="Phong Thổ, Lai Châu; 0912345678",
            note="Đúng hạn" if i % 3 == 0 else "Đang xử lý",
        )
        for i in range(n)
    ]


def _register(n: int) -> Register:
    return Register(HEAD, date(2026, 3, 1), date(2026, 3, 31), _entries(n), _at(31, 17), TZ)


def test_register_pdf_has_a_line_per_dossier_and_repeats_its_heading(look: Look) -> None:
    pdf = render_register_pdf(_register(30))
    text = look(pdf, "mau-07")
    assert pdf_metadata(pdf)["Subject"] == f"Mẫu số 07, {SOURCE}"
    assert page_count(pdf) >= 2
    for expected in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01 tháng 03 năm 2026 đến ngày 31 tháng 03 năm 2026",
        "Số hồ sơ: 30",
        "Ngày, tháng, năm",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
        "Ký nhận",
        "000.00.14.H56-260302-0001",
        "000.00.14.H56-260304-0010",
        "Nguyễn Văn Hộ 30",
        "08:00 02/03/2026",
        "08:00 23/03/2026",
        "Trang 2/",
    ):
        assert expected in text, expected
    assert text.count("Tên thủ tục hành chính") == page_count(pdf)


def test_empty_register_says_so(look: Look) -> None:
    text = look(render_register_pdf(_register(0)), "mau-07-trong")
    assert "(không có hồ sơ trong kỳ)" in text and "Số hồ sơ: 0" in text


def test_register_xlsx_has_the_same_lines() -> None:
    register = _register(12)
    book = load_workbook(BytesIO(render_register_xlsx(register)))
    sheet = book.active
    assert sheet is not None
    assert book.properties.subject == f"Mẫu số 07, {SOURCE}"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Từ ngày 01 tháng 03 năm 2026 đến ngày 31 tháng 03 năm 2026"
    assert sheet["H5"].value == "Ngày, tháng, năm" and sheet["H6"].value == "Nhận hồ sơ"
    assert sheet["B5"].value == "Mã hồ sơ"
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    assert len(data) == 12
    assert data[0][:3] == [
        "1",
        "000.00.14.H56-260302-0001",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    ]
    assert data[0][7] == "08:00 02/03/2026" and data[0][11] == "08:00 17/03/2026"
    assert data[11][4] == "Nguyễn Văn Hộ 12"
