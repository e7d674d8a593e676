"""Build the national portal's dossier record (domain-rules §6) from what we know locally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

PORTAL_DATE = "%Y%m%d%H%M%S"
RECEIVED_STATUSES = frozenset({2, 4, 5, 6, 8, 9, 10})


def portal_date(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).strftime(PORTAL_DATE) if value else None


@dataclass(frozen=True)
class DossierFacts:
    code: str
    procedure_code: str
    procedure_name: str
    field_name: str
    agency_name: str
    channel: int
    applicant_kind: int
    applicant_name: str
    phone: str | None
    submitted_at: datetime
    files: tuple[str, ...]


def dossier_record(facts: DossierFacts, status: int, changed_at: datetime, tz: ZoneInfo) -> dict[str, Any]:
    record: dict[str, Any] = {
        "MaHoSo": facts.code,
        "MaTTHC": facts.procedure_code,
        "TenTTHC": facts.procedure_name,
        "MaLinhVuc": facts.field_name,
        "KenhThucHien": facts.channel,
        "ChuHoSo": facts.applicant_name,
        "LoaiDoiTuong": facts.applicant_kind,
        "SoDienThoai": facts.phone,
        "TrichYeuHoSo": facts.procedure_name,
        "TrangThaiHoSo": status,
        "DonViXuLy": facts.agency_name,
        "NgayNopHoSo": portal_date(facts.submitted_at, tz),
        "TaiLieuNop": [{"TenTepDinhKem": name} for name in facts.files],
        "DanhSachLePhi": [],
        "DanhSachGiayToKetQua": [],
    }
    if status in RECEIVED_STATUSES:
        record["NgayTiepNhan"] = portal_date(changed_at, tz)
    return {key: value for key, value in record.items() if value is not None}
