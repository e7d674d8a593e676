"""The national portal: its status codes 1–10 and dossiers submitted there (internal, personal data)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Literal

from pydantic import EmailStr, Field

from dvc_common.events.base import INTERNAL, T0, EventType, Payload


class NationalStatus(IntEnum):
    """National portal status codes (domain-rules §3); `label_vi` is the portal's name of the status."""

    NEW = 1
    RECEIVED = 2
    NOT_RECEIVED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FINANCIAL_OBLIGATION = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESOLVED = 9
    RESULT_RETURNED = 10

    @property
    def label_vi(self) -> str:
        return _LABELS[self]


_LABELS: dict[NationalStatus, str] = {
    NationalStatus.NEW: "Mới đăng ký",
    NationalStatus.RECEIVED: "Được tiếp nhận",
    NationalStatus.NOT_RECEIVED: "Không được tiếp nhận",
    NationalStatus.PROCESSING: "Đang xử lý",
    NationalStatus.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    NationalStatus.FINANCIAL_OBLIGATION: "Nghĩa vụ tài chính",
    NationalStatus.WITHDRAWN: "Rút hồ sơ",
    NationalStatus.STOPPED: "Dừng xử lý",
    NationalStatus.RESOLVED: "Đã xử lý xong",
    NationalStatus.RESULT_RETURNED: "Đã trả kết quả",
}

# The same names keyed by the bare code, for code that still holds an int.
NATIONAL_STATUS_NAMES: dict[int, str] = {status.value: status.label_vi for status in NationalStatus}


class NationalFile(Payload):
    name: str
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Where the national portal keeps the document")


class NationalDossierReceived(Payload):
    """Internal only: a dossier submitted on the national portal, to be opened by intake (personal data)."""

    national_reference: str = Field(description="The national portal's reference of the submission")
    procedure_code: str
    applicant_name: str
    applicant_kind: Literal[1, 2, 3, 4]
    identity_number: str | None = None
    email: EmailStr | None = None
    phone: str | None = None
    summary: str | None = None
    submitted_at: datetime
    files: list[NationalFile]


NATIONAL_DOSSIER_RECEIVED = EventType(
    "national",
    "dossier_received",
    1,
    NationalDossierReceived,
    INTERNAL,
    "Internal: a dossier submitted on the national portal, fetched by sync-national for intake (personal data).",
    NationalDossierReceived(
        national_reference="QG-260223-000001",
        procedure_code="1.003560.000.00.00.H56",
        applicant_name="Lò Thị Mai",
        applicant_kind=1,
        identity_number="011190000123",
        email="mai.lo@example.vn",
        phone="0987654321",
        summary="Đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
        submitted_at=T0,
        files=[
            NationalFile(
                name="don-de-nghi.pdf",
                content_type="application/pdf",
                size=18231,
                sha256="cd" * 32,
                url="https://dichvucong.gov.vn/tep/QG-260223-000001/1",
            )
        ],
    ),
    producer="sync-national",
)
