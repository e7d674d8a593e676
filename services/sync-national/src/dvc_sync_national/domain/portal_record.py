"""Our dossier events mapped to the national portal's records (domain-rules §3 and §6).

One readable place for the whole mapping: field names (MaHoSo, TrangThaiHoSo, ...), status codes
1–10 (`NationalStatus`), channels (1 in person, 2 online, 3 postal), applicant kinds (1 citizen, 2 enterprise, 3 state
agency, 4 other organisation) and dates as `yyyyMMddHHmmss` in the province's time zone.
Dates that accumulate over a dossier's life (receipt, appointment, end of processing, return) are
`Milestones`, advanced change by change in the order the portal sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dvc_common.events import NationalStatus as S

PORTAL_DATE = "%Y%m%d%H%M%S"
SUBMITTED = S.NEW
# Statuses at which the dossier has been received, so NgayTiepNhan must be known (the portal checks).
RECEIVED_STATUSES = frozenset(
    {
        S.RECEIVED,
        S.PROCESSING,
        S.SUPPLEMENT_REQUESTED,
        S.FINANCIAL_OBLIGATION,
        S.STOPPED,
        S.RESOLVED,
        S.RESULT_RETURNED,
    }
)
# Statuses that end processing (NgayKetThucXuLy): rejected, withdrawn, stopped, processed.
FINISHED_STATUSES = frozenset({S.NOT_RECEIVED, S.WITHDRAWN, S.STOPPED, S.RESOLVED})
# Statuses at which something is handed back to the applicant (NgayTra): the result, or the
# rejection slip, which counts as a return (domain-rules §4).
RETURNED_STATUSES = frozenset({S.NOT_RECEIVED, S.RESULT_RETURNED})
CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
APPLICANT_KINDS = {1: "Công dân", 2: "Doanh nghiệp", 3: "Cơ quan nhà nước", 4: "Tổ chức khác"}


def portal_date(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).strftime(PORTAL_DATE) if value else None


@dataclass(frozen=True)
class DossierFacts:
    """What does not change with the status: from procedure.published, dossier.submitted, contact."""

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
    national_reference: str | None = None  # when submitted on the national portal itself


@dataclass(frozen=True)
class StepFacts:
    officer_name: str
    content: str
    officer_position: str | None = None
    department: str | None = None
    started_at: datetime | None = None
    due_at: datetime | None = None


@dataclass(frozen=True)
class StatusChange:
    """One dossier.status_changed event, as far as the portal is concerned."""

    status: int
    previous_status: int | None
    changed_at: datetime
    received_at: datetime | None = None
    appointment_at: datetime | None = None
    note: str | None = None
    step: StepFacts | None = None


@dataclass(frozen=True)
class Milestones:
    received_at: datetime | None = None
    appointment_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None

    def advance(self, change: StatusChange) -> Milestones:
        """The milestones once `change` has happened (earlier ones are kept, later ones added)."""
        result = self
        if change.received_at is not None:
            result = replace(result, received_at=change.received_at)
        elif change.status in RECEIVED_STATUSES and result.received_at is None:
            result = replace(result, received_at=change.changed_at)
        if change.appointment_at is not None:
            result = replace(result, appointment_at=change.appointment_at)
        if change.status in FINISHED_STATUSES:
            result = replace(result, finished_at=change.changed_at)
        if change.status in RETURNED_STATUSES:
            result = replace(result, returned_at=change.changed_at)
        if change.status == S.RESULT_RETURNED and result.finished_at is None:
            result = replace(result, finished_at=change.changed_at)
        return result


def dossier_record(facts: DossierFacts, status: int, milestones: Milestones, tz: ZoneInfo) -> dict[str, Any]:
    """The national dossier record (create or update) at `status`; absent dates are left out."""
    record: dict[str, Any] = {
        "MaHoSo": facts.code,
        "MaHoSoQG": facts.national_reference,
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
        "NgayTiepNhan": portal_date(milestones.received_at, tz) if status != SUBMITTED else None,
        "NgayHenTra": portal_date(milestones.appointment_at, tz),
        "NgayKetThucXuLy": portal_date(milestones.finished_at, tz),
        "NgayTra": portal_date(milestones.returned_at, tz),
        "TaiLieuNop": [{"TepDinhKemId": str(i), "TenTepDinhKem": n} for i, n in enumerate(facts.files, 1)],
        "DanhSachLePhi": [],
        "DanhSachGiayToKetQua": [],
    }
    return {key: value for key, value in record.items() if value is not None}


def step_record(
    facts: DossierFacts, change: StatusChange, status_name: str, tz: ZoneInfo
) -> dict[str, Any] | None:
    """The processing step (quá trình xử lý) behind a change; none for the submission itself.

    Without an officer in the event, the processing agency is named as the one who acted.
    """
    if change.status == SUBMITTED and change.step is None:
        return None
    step = change.step
    record: dict[str, Any] = {
        "MaHoSo": facts.code,
        "NguoiXuLy": step.officer_name if step else facts.agency_name,
        "ChucDanh": step.officer_position if step else None,
        "PhongBanXuLy": step.department if step else None,
        "ThoiDiemXuLy": portal_date(change.changed_at, tz),
        "NoiDungXuLy": (step.content if step else None) or change.note or status_name,
        "TrangThai": change.status,
        "NgayBatDau": portal_date(step.started_at, tz) if step else None,
        "NgayKetThucTheoQuyDinh": portal_date(step.due_at, tz) if step else None,
    }
    return {key: value for key, value in record.items() if value is not None}
