"""Intake's request and response models (the JSON the HTTP API reads and writes)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

if TYPE_CHECKING:
    from dvc_intake.models import PaymentReceipt

PHONE_PATTERN = r"^(\+84|0)[0-9]{9,10}$"


class StoredDocumentRef(BaseModel):
    """A document of one of the citizen's earlier dossiers (their data store), reused by reference."""

    model_config = ConfigDict(extra="forbid")

    dossier_code: str = Field(min_length=1, max_length=40)
    position: int = Field(ge=1, le=100)


class DossierForm(BaseModel):
    """The JSON part `dossier` of a submission."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    procedure_code: str = Field(min_length=1, max_length=64, description="Mã thủ tục hành chính")
    applicant_name: str = Field(min_length=2, max_length=200, description="Họ và tên người nộp")
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, description="Số điện thoại di động")
    channel: int = Field(default=2, ge=1, le=3, description="1 trực tiếp, 2 trực tuyến, 3 bưu chính")
    applicant_kind: int = Field(
        default=1, ge=1, le=4, description="1 công dân, 2 doanh nghiệp, 3 cơ quan, 4 khác"
    )
    reuse: list[StoredDocumentRef] = Field(
        default_factory=list,
        description="Giấy tờ đã có trong kho dữ liệu của công dân, dùng lại không phải nộp lại",
        max_length=20,
    )
    digitised: list[int] = Field(
        default_factory=list,
        description="Nộp trực tiếp: số thứ tự các tệp là bản số hoá giấy tờ giấy do cán bộ một cửa quét",
    )
    owner_subject: str | None = Field(
        default=None,
        max_length=128,
        description="Nộp trực tiếp: định danh VNeID của người nộp, để hồ sơ vào kho dữ liệu của họ",
    )
    eform: dict[str, Any] | None = Field(
        default=None,
        description="Tờ khai điện tử, theo JSON Schema của thủ tục (GET /api/v1/procedures/{code})",
    )
    result_delivery: Literal["online", "counter", "post"] | None = Field(
        default=None, description="Nhận kết quả: trực tuyến, tại Bộ phận Một cửa, qua bưu chính"
    )
    postal_address: str | None = Field(
        default=None, min_length=10, max_length=300, description="Địa chỉ nhận kết quả qua bưu chính"
    )
    notify_channels: list[Literal["email", "zalo"]] | None = Field(
        default=None,
        description="Kênh nhận thông báo: email, zalo (mặc định: thư điện tử nếu có địa chỉ)",
    )

    @model_validator(mode="after")
    def _post_has_address(self) -> DossierForm:
        if self.result_delivery == "post" and not self.postal_address:
            raise ValueError("Chọn nhận kết quả qua bưu chính thì phải khai địa chỉ nhận")
        return self

    @model_validator(mode="after")
    def _channels_have_addresses(self) -> DossierForm:
        if self.notify_channels and "email" in self.notify_channels and not self.email:
            raise ValueError("Chọn nhận thông báo qua thư điện tử thì phải khai địa chỉ thư điện tử")
        if self.notify_channels and "zalo" in self.notify_channels and not self.phone:
            raise ValueError("Chọn nhận thông báo qua Zalo thì phải khai số điện thoại")
        return self


class SubmittedDossier(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    status: int
    status_name: str
    submitted_at: datetime


class FileView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    name: str
    content_type: str
    size: int
    sha256: str
    scan_status: str
    digitised: bool
    signed: bool
    reused_from: str | None
    supplement_round: int
    kind: str


class DossierDetail(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str | None
    agency_id: str
    channel: int
    status: int
    status_name: str
    submitted_at: datetime
    updated_at: datetime
    files: list[FileView]


class SlipView(BaseModel):
    id: int
    form: str
    title: str
    issued_at: datetime
    size: int
    url: str


class MyDossier(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    submitted_at: datetime
    appointment_at: datetime | None


class StoredDocument(BaseModel):
    dossier_code: str
    position: int
    kind: str
    name: str
    content_type: str
    size: int
    submitted_at: datetime
    url: str


class ReceiptView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    payment_id: str
    dossier_code: str
    receipt_number: str
    amount: int
    sha256: str
    issued_at: datetime
    url: str
    pdf_url: str | None = Field(
        default=None, description="Biên lai thu phí, lệ phí (PDF) drawn from the receipt"
    )

    @classmethod
    def of(cls, receipt: PaymentReceipt) -> ReceiptView:
        view = cls.model_validate(receipt)
        if receipt.slip_id is not None:
            view.pdf_url = f"/api/v1/dossiers/{receipt.dossier_code}/slips/{receipt.slip_id}"
        return view


class Supplemented(BaseModel):
    code: str
    supplement_round: int
    positions: list[int]


class ResultsAdded(BaseModel):
    code: str
    positions: list[int]


class LookupView(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str | None
    agency_id: str
    agency_name: str | None
    status: int
    status_name: str
    submitted_at: datetime
    received_at: datetime | None
    appointment_at: datetime | None


class ProcedureView(BaseModel):
    code: str
    name: str
    agency_id: str
    agency_name: str
    online_level: str
    signature_required: bool
    notice: str | None
    form_schema: dict[str, Any] | None
    result_delivery: list[str]
