"""Procedure events: the catalog of administrative procedures (event-carried state)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dvc_common.events.base import PUBLIC, EventType, Payload
from dvc_common.events.payment import FeeLine


class ProcessingTime(Payload):
    value: float = Field(gt=0)
    unit: Literal["working_hours", "working_days", "calendar_days"]


class ProcedureAgency(Payload):
    """One agency that performs the procedure (cơ quan thực hiện), with its own fees."""

    agency_id: str = Field(description="Standard identifier of the performing agency (used in dossier codes)")
    agency_name: str
    receiving_agency_id: str | None = Field(
        default=None,
        description="The agency whose one-stop desk receives the dossiers (e.g. the provincial public-service "
        "centre for departments); None = the performing agency itself",
    )
    fees: list[FeeLine] = Field(default_factory=list, description="This agency's fees (phí, lệ phí) in VND")
    beneficiary_agency_id: str | None = Field(
        default=None,
        description="The agency whose beneficiary account (configured in payments) receives the fees; "
        "None = the performing agency itself",
    )


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
    fees: list[FeeLine] = Field(default_factory=list, description="Fees (phí, lệ phí) in VND")
    result_documents: list[str] = Field(default_factory=list, description="Result documents issued")
    signature_required: bool = Field(default=False, description="Forms must be digitally signed")
    result_delivery: list[Literal["counter", "post", "online"]] = Field(
        default_factory=list, description="How the result can be returned"
    )
    form_schema: dict[str, Any] | None = Field(
        default=None, description="JSON Schema (2020-12) of the procedure's e-form (tờ khai điện tử), if any"
    )
    agencies: list[ProcedureAgency] = Field(
        default_factory=list,
        description="The agencies performing the procedure (always includes `agency_id`); the applicant or "
        "the counter officer chooses one",
    )


PROCEDURE_PUBLISHED = EventType(
    "procedure",
    "published",
    1,
    ProcedurePublished,
    PUBLIC,
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
        agencies=[
            ProcedureAgency(
                agency_id="000.00.14.H56",
                agency_name="Sở Xây dựng tỉnh Lai Châu",
                receiving_agency_id="000.01.01.H56",
                fees=[FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép xây dựng", amount=75000)],
            )
        ],
    ),
    producer="workflow",
)
