"""The event catalog: every routing key, its exchange and its versioned payload schema.

This module is the source of truth for integrators (docs/events.md and docs/asyncapi.yaml are
generated from it). Personal data never goes on the public exchange `dvc.events`; what only our own
services need travels on `dvc.internal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

PUBLIC_EXCHANGE = "dvc.events"
INTERNAL_EXCHANGE = "dvc.internal"

# National portal status codes (domain-rules §3).
NATIONAL_STATUS_NAMES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Nghĩa vụ tài chính",
    7: "Rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProcessingTime(Payload):
    value: float = Field(gt=0)
    unit: Literal["working_hours", "working_days", "calendar_days"]


class ProcedurePublished(Payload):
    code: str = Field(description="National procedure code, e.g. 1.003560.000.00.00.H56")
    name: str
    field_name: str
    agency_id: str = Field(description="Standard identifier of the competent agency (used in dossier codes)")
    agency_name: str
    processing_time: ProcessingTime
    online_level: Literal["full", "partial"]
    components: list[str]
    revision: str = Field(description="Content hash of this version of the procedure")


class SubmittedFile(Payload):
    name: str
    content_type: str
    size: int
    sha256: str


class DossierSubmitted(Payload):
    code: str
    procedure_code: str
    agency_id: str
    channel: Literal[1, 2, 3] = Field(description="1 in person, 2 online, 3 postal")
    applicant_kind: Literal[1, 2, 3, 4] = Field(
        description="1 citizen, 2 enterprise, 3 state agency, 4 other"
    )
    submitted_at: datetime
    files: list[SubmittedFile]


class DossierContactRegistered(Payload):
    """Internal only: who to notify about a dossier and how to reach them."""

    code: str
    applicant_name: str
    email: EmailStr | None
    phone: str | None


class DossierStatusChanged(Payload):
    code: str
    procedure_code: str
    agency_id: str
    status: int = Field(ge=1, le=10, description="National portal status code 1–10")
    status_name: str
    previous_status: int | None = Field(default=None, ge=1, le=10)
    changed_at: datetime
    note: str | None = None


P = TypeVar("P", bound=Payload)


@dataclass(frozen=True, eq=False)  # identity: one object per routing key, usable as a dict key
class EventType(Generic[P]):
    aggregate: str
    name: str
    version: int
    payload: type[P]
    exchange: str
    summary: str
    example: P

    @property
    def routing_key(self) -> str:
        return f"{self.aggregate}.{self.name}.v{self.version}"

    @property
    def ce_type(self) -> str:
        return f"vn.dvc.{self.routing_key}"

    def parse(self, data: dict[str, Any]) -> P:
        return self.payload.model_validate(data)


_T0 = datetime.fromisoformat("2026-02-23T08:15:00+07:00")

PROCEDURE_PUBLISHED = EventType(
    "procedure",
    "published",
    1,
    ProcedurePublished,
    PUBLIC_EXCHANGE,
    "A procedure of the catalog was published or changed (event-carried state for other services).",
    ProcedurePublished(
        code="1.003560.000.00.00.H56",
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_name="Hoạt động xây dựng",
        agency_id="000.00.14.H56",
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        processing_time=ProcessingTime(value=15, unit="working_days"),
        online_level="full",
        components=["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng"],
        revision="9f2c1e0a",
    ),
)
DOSSIER_SUBMITTED = EventType(
    "dossier",
    "submitted",
    1,
    DossierSubmitted,
    PUBLIC_EXCHANGE,
    "An applicant submitted a dossier; it waits to be received (national status 1).",
    DossierSubmitted(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        channel=2,
        applicant_kind=1,
        submitted_at=_T0,
        files=[
            SubmittedFile(
                name="don-de-nghi.pdf", content_type="application/pdf", size=18231, sha256="ab" * 32
            )
        ],
    ),
)
DOSSIER_CONTACT_REGISTERED = EventType(
    "dossier",
    "contact_registered",
    1,
    DossierContactRegistered,
    INTERNAL_EXCHANGE,
    "Internal: the applicant's name and contact channels for a dossier (personal data).",
    DossierContactRegistered(
        code="000.00.14.H56-260223-0001",
        applicant_name="Nguyễn Văn An",
        email="an.nguyen@example.vn",
        phone="0912345678",
    ),
)
DOSSIER_STATUS_CHANGED = EventType(
    "dossier",
    "status_changed",
    1,
    DossierStatusChanged,
    PUBLIC_EXCHANGE,
    "The dossier's national status changed; carries the national status code 1–10.",
    DossierStatusChanged(
        code="000.00.14.H56-260223-0001",
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=1,
        status_name=NATIONAL_STATUS_NAMES[1],
        previous_status=None,
        changed_at=_T0,
    ),
)

CATALOG: tuple[EventType[Any], ...] = (
    PROCEDURE_PUBLISHED,
    DOSSIER_SUBMITTED,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
)
BY_TYPE: dict[str, EventType[Any]] = {event.ce_type: event for event in CATALOG}
