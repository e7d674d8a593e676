"""What the forms workflow issues say (pure data): the control slip of one dossier (Mẫu 06) and the
dossier register of one agency and period (Mẫu 07)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dvc_common.pdf import Letterhead

GUIDANCE = "Phụ lục I, Thông tư 03/2025/TT-VPCP ngày 15/9/2025 (hướng dẫn Nghị định 118/2025/NĐ-CP)"


def source(number: str) -> str:
    return f"Mẫu số {number}, {GUIDANCE}"


@dataclass(frozen=True)
class ControlStep:
    """One hand-over of the dossier: who gave it, who took it, when, by when it was due, when it went on."""

    name: str  # the step of the internal process, e.g. "Thẩm định hồ sơ"
    department: str | None  # the agency or department that holds the dossier during the step
    handed_over_by: str | None  # the officer who gave the dossier (previous step)
    received_by: str | None  # the officer who took it
    received_at: datetime
    due_at: datetime | None
    handed_on_at: datetime | None  # None: still at this step


def step_outcome(step: ControlStep, as_of: datetime) -> str:
    """Trước hạn / Đúng hạn / Quá hạn for a step handed on (Điện Biên Điều 13.3 applied to the step's
    budget), Đang xử lý while it is still at the step (and Quá hạn once its budget passed)."""
    if step.handed_on_at is None:
        late = step.due_at is not None and as_of > step.due_at
        return "Đang xử lý (quá hạn)" if late else "Đang xử lý"
    if step.due_at is None:
        return "Đã chuyển"
    if step.handed_on_at < step.due_at:
        return "Trước hạn"
    return "Đúng hạn" if step.handed_on_at == step.due_at else "Quá hạn"


@dataclass(frozen=True)
class ControlSlip:
    """Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    letterhead: Letterhead
    code: str
    procedure_name: str
    handling_agency: str
    received_at: datetime | None
    appointment_at: datetime | None
    steps: Sequence[ControlStep]
    issued_at: datetime
    tz: ZoneInfo
    applicant_name: str | None = None
    coordinating_agencies: Sequence[str] = field(default_factory=tuple)
    # received_at is when the officer received it; counted_from the counting start (after 15:00 the
    # next working day; restarted by a receipt after a supplement), shown when it differs.
    counted_from: datetime | None = None


@dataclass(frozen=True)
class RegisterEntry:
    """One dossier's line in the register."""

    code: str
    procedure_name: str
    handling_agency: str
    received_at: datetime | None
    appointment_at: datetime | None
    transferred_at: datetime | None = None  # handed to the department that processes it
    result_at: datetime | None = None  # the result came back to the one-stop unit
    returned_at: datetime | None = None  # returned to the applicant
    applicant_name: str | None = None
    applicant_contact: str | None = None  # address, phone
    sets: int = 1
    note: str | None = None


@dataclass(frozen=True)
class Register:
    """Mẫu 07: Sổ theo dõi hồ sơ of one agency over one period."""

    letterhead: Letterhead
    period_from: date
    period_to: date
    entries: Sequence[RegisterEntry]
    issued_at: datetime
    tz: ZoneInfo
