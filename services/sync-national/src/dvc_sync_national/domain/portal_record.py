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
    supplement_files: tuple[tuple[int, str], ...] = ()  # (round, file name), in round order
    fees_paid: tuple[PaidFee, ...] = ()
    result_documents: tuple[str, ...] = ()  # what the procedure issues as its result


@dataclass(frozen=True)
class PaidFee:
    """One line of a paid payment request (phí, lệ phí, the postal fee), in VND."""

    kind: str
    name: str
    amount: int


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


# Statuses at which the result exists (DanhSachGiayToKetQua): resolved, returned.
RESULT_STATUSES = frozenset({S.RESOLVED, S.RESULT_RETURNED})


def submitted_documents(facts: DossierFacts) -> list[dict[str, Any]]:
    """TaiLieuNop: the files submitted, then each supplement round's, numbered in that order."""
    names = list(facts.files) + [name for _, name in facts.supplement_files]
    return [{"TepDinhKemId": str(i), "TenTepDinhKem": n} for i, n in enumerate(names, 1)]


def fees_paid(facts: DossierFacts) -> list[dict[str, Any]]:
    """DanhSachLePhi: the fees paid, line by line (Gia in VND, digits, as the portal's API has it)."""
    return [{"TenPhiLePhi": f.name, "MaPhiLePhi": f.kind, "Gia": str(f.amount)} for f in facts.fees_paid]


def result_documents(facts: DossierFacts, status: int) -> list[dict[str, Any]]:
    """DanhSachGiayToKetQua: the procedure's result documents, once the result exists."""
    if status not in RESULT_STATUSES:
        return []
    return [{"GiayToId": str(i), "TenGiayTo": name} for i, name in enumerate(facts.result_documents, 1)]


def dossier_record(facts: DossierFacts, status: int, milestones: Milestones, tz: ZoneInfo) -> dict[str, Any]:
    """The national dossier record (create or update) at `status`; absent dates are left out."""
    record: dict[str, Any] = {
        "MaHoSo": facts.code,
        "MaHoSoQG": facts.national_reference,
        "MaTTHC": facts.procedure_code,
        "TenTTHC": facts.procedure_name,
        "TenLinhVuc": facts.field_name,
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
        "TaiLieuNop": submitted_documents(facts),
        "DanhSachLePhi": fees_paid(facts),
        "DanhSachGiayToKetQua": result_documents(facts, status),
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
