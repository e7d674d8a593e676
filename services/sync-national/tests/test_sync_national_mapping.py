"""The mapping from our events to the national portal's record (domain-rules §3, §6)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dvc_sync_national.domain.portal_record import (
    DossierFacts,
    Milestones,
    StatusChange,
    StepFacts,
    dossier_record,
    portal_date,
    step_record,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FACTS = DossierFacts(
    code="000.00.14.H56-260223-0001",
    procedure_code="1.003560.000.00.00.H56",
    procedure_name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    field_name="Hoạt động xây dựng",
    agency_name="Sở Xây dựng tỉnh Lai Châu",
    channel=3,
    applicant_kind=2,
    applicant_name="Công ty TNHH Mường Tè",
    phone="0912345678",
    submitted_at=datetime(2026, 2, 23, 1, 15, tzinfo=UTC),
    files=("don.pdf", "ban-ve.pdf"),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, minute, tzinfo=TZ)


def life() -> list[StatusChange]:
    return [
        StatusChange(1, None, at(23, 8, 15)),
        StatusChange(2, 1, at(23, 9, 0), appointment_at=at(26, 17)),
        StatusChange(4, 2, at(23, 10, 0)),
        StatusChange(9, 4, at(25, 15, 30)),
        StatusChange(10, 9, at(26, 9, 5)),
    ]


def records() -> list[dict[str, object]]:
    milestones = Milestones()
    out = []
    for change in life():
        milestones = milestones.advance(change)
        out.append(dossier_record(FACTS, change.status, milestones, TZ))
    return out


def test_dates_are_yyyymmddhhmmss_in_the_province_time_zone() -> None:
    assert portal_date(datetime(2026, 2, 23, 1, 15, tzinfo=UTC), TZ) == "20260223081500"
    assert portal_date(None, TZ) is None


def test_the_first_record_is_a_new_registration_with_national_codes_and_names() -> None:
    first = records()[0]
    assert first == {
        "MaHoSo": "000.00.14.H56-260223-0001",
        "MaTTHC": "1.003560.000.00.00.H56",
        "TenTTHC": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "TenLinhVuc": "Hoạt động xây dựng",
        "KenhThucHien": 3,
        "ChuHoSo": "Công ty TNHH Mường Tè",
        "LoaiDoiTuong": 2,
        "SoDienThoai": "0912345678",
        "TrichYeuHoSo": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "TrangThaiHoSo": 1,
        "DonViXuLy": "Sở Xây dựng tỉnh Lai Châu",
        "NgayNopHoSo": "20260223081500",
        "TaiLieuNop": [
            {"TepDinhKemId": "1", "TenTepDinhKem": "don.pdf"},
            {"TepDinhKemId": "2", "TenTepDinhKem": "ban-ve.pdf"},
        ],
        "DanhSachLePhi": [],
        "DanhSachGiayToKetQua": [],
    }


def test_dates_accumulate_along_the_life() -> None:
    seen = [
        (
            r["TrangThaiHoSo"],
            r.get("NgayTiepNhan"),
            r.get("NgayHenTra"),
            r.get("NgayKetThucXuLy"),
            r.get("NgayTra"),
        )
        for r in records()
    ]
    assert seen == [
        (1, None, None, None, None),
        (2, "20260223090000", "20260226170000", None, None),
        (4, "20260223090000", "20260226170000", None, None),
        (9, "20260223090000", "20260226170000", "20260225153000", None),
        (10, "20260223090000", "20260226170000", "20260225153000", "20260226090500"),
    ]


def test_an_explicit_receipt_time_wins_over_the_change_time() -> None:
    # Received after 15:00 counts from the next working day (Điện Biên Điều 13.1): workflow says when.
    change = StatusChange(2, 1, at(23, 16, 0), received_at=at(24, 7, 0))
    assert Milestones().advance(change).received_at == at(24, 7, 0)


def test_rejection_ends_processing_and_counts_as_a_return() -> None:
    milestones = Milestones().advance(StatusChange(3, 1, at(23, 11)))
    record = dossier_record(FACTS, 3, milestones, TZ)
    assert record["NgayKetThucXuLy"] == record["NgayTra"] == "20260223110000"
    assert "NgayTiepNhan" not in record


def test_steps_name_the_officer_or_the_agency() -> None:
    officer = StepFacts(
        officer_name="Trần Thị Bình",
        content="Tiếp nhận hồ sơ",
        officer_position="Công chức Bộ phận Một cửa",
        started_at=at(23, 8, 30),
        due_at=at(23, 17),
    )
    with_officer = step_record(FACTS, StatusChange(2, 1, at(23, 9), step=officer), "Được tiếp nhận", TZ)
    assert with_officer == {
        "MaHoSo": FACTS.code,
        "NguoiXuLy": "Trần Thị Bình",
        "ChucDanh": "Công chức Bộ phận Một cửa",
        "ThoiDiemXuLy": "20260223090000",
        "NoiDungXuLy": "Tiếp nhận hồ sơ",
        "TrangThai": 2,
        "NgayBatDau": "20260223083000",
        "NgayKetThucTheoQuyDinh": "20260223170000",
    }
    anonymous = step_record(FACTS, StatusChange(4, 2, at(23, 10)), "Đang xử lý", TZ)
    assert anonymous is not None
    assert anonymous["NguoiXuLy"] == "Sở Xây dựng tỉnh Lai Châu"
    assert anonymous["NoiDungXuLy"] == "Đang xử lý"
    assert step_record(FACTS, StatusChange(1, None, at(23, 8)), "Mới đăng ký", TZ) is None
