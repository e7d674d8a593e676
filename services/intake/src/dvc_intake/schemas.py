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
    component: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="Thành phần hồ sơ (số thứ tự trong thủ tục) mà giấy tờ này thể hiện",
    )


class AuthorisedPerson(BaseModel):
    """Ủy quyền (Lai Châu Điều 10.1.a): the person who files for the dossier's owner; the dossier belongs
    to the owner's VNeID account (`owner_identifier`), not to this person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200, description="Họ và tên người được ủy quyền")
    identifier: str = Field(
        min_length=8, max_length=20, pattern=r"^[0-9A-Za-z.\-]+$",
        description="Số định danh cá nhân (CCCD) hoặc số hộ chiếu của người được ủy quyền",
    )  # fmt: skip


class DossierForm(BaseModel):
    """The JSON part `dossier` of a submission."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    procedure_code: str = Field(min_length=1, max_length=64, description="Mã thủ tục hành chính")
    applicant_name: str = Field(min_length=2, max_length=200, description="Họ và tên người nộp")
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, description="Số điện thoại di động")
    channel: int = Field(default=2, ge=1, le=3, description="1 trực tiếp, 2 trực tuyến, 3 bưu chính")
    applicant_kind: int = Field(
        default=1,
        ge=1,
        le=4,
        description="Đối tượng nộp: 1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác",
        examples=[1],
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
    owner_identifier: str | None = Field(
        default=None,
        min_length=8,
        max_length=20,
        description="Nộp trực tiếp, bưu chính: số định danh cá nhân (CCCD, 12 chữ số) hoặc mã số tổ chức của chủ"
        " hồ sơ; hệ thống định danh xác định tài khoản VNeID để hồ sơ vào kho dữ liệu của họ",
        examples=["012345678901"],
    )
    owner_kind: Literal["citizen", "organisation"] = Field(
        default="citizen", description="Chủ hồ sơ là công dân (citizen) hay tổ chức (organisation)"
    )
    authorised_person: AuthorisedPerson | None = Field(
        default=None,
        description="Ủy quyền: người được chủ hồ sơ ủy quyền nộp (hồ sơ vẫn thuộc tài khoản VNeID của chủ hồ sơ)",
    )
    agency_id: str | None = Field(
        default=None,
        max_length=32,
        description="Cơ quan thực hiện, một trong `agencies` của thủ tục (GET /api/v1/procedures/{code});"
        " bỏ trống khi thủ tục chỉ do một cơ quan thực hiện",
        examples=["000.00.14.H56"],
    )
    components: list[int] = Field(
        default_factory=list,
        max_length=20,
        description="Mỗi tệp gửi kèm (theo thứ tự) là thành phần hồ sơ số mấy của thủ tục (đánh số từ 1 theo"
        " `components` của thủ tục); bỏ trống: tệp thứ n là thành phần thứ n",
        examples=[[1, 2, 3]],
    )
    eform: dict[str, Any] | None = Field(
        default=None,
        description="Tờ khai điện tử: các mục theo JSON Schema (2020-12) `form_schema` của thủ tục"
        " (GET /api/v1/procedures/{code}); bắt buộc khi thủ tục có tờ khai điện tử. Mục sai hoặc thiếu được"
        " trả về từng mục trong `errors` của lỗi 422 `invalid-eform`",
        examples=[{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-17", "so_dinh_danh": "012345678901",
                   "muc_dich": "Bổ sung hồ sơ xin việc"}],
    )  # fmt: skip
    result_delivery: Literal["online", "counter", "post"] | None = Field(
        default=None,
        description="Hình thức nhận kết quả, một trong `result_delivery` của thủ tục: online (trực tuyến, vào kho"
        " dữ liệu), counter (tại Bộ phận Một cửa), post (qua bưu chính công ích, cần `postal_address`)",
        examples=["post"],
    )
    postal_address: str | None = Field(
        default=None,
        min_length=10,
        max_length=300,
        description="Địa chỉ nhận kết quả qua bưu chính (bắt buộc khi `result_delivery` là post)",
        examples=["Số 12, đường Trần Hưng Đạo, phường Tân Phong, thành phố Lai Châu, tỉnh Lai Châu"],
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
    component: int | None = Field(
        default=None,
        description="Thành phần hồ sơ (số thứ tự trong thủ tục) mà tệp thể hiện; trống: giấy tờ khác",
    )


class ApplicantView(BaseModel):
    name: str = Field(description="Họ và tên người nộp (chủ hồ sơ)")
    kind: int = Field(description="1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác")
    kind_name: str
    identifier: str | None = Field(
        default=None,
        description="Số định danh cá nhân / mã số tổ chức do cán bộ một cửa ghi (nộp trực tiếp, bưu chính)",
    )
    identifier_kind: str | None = Field(default=None, description="citizen hoặc organisation")
    has_vneid: bool = Field(description="Hồ sơ thuộc tài khoản VNeID của chủ hồ sơ (vào kho dữ liệu của họ)")
    email: str | None = None
    phone: str | None = None


class AuthorisedPersonView(BaseModel):
    name: str
    identifier: str


class ComponentView(BaseModel):
    position: int = Field(description="Số thứ tự thành phần trong thủ tục (0: giấy tờ khác)")
    name: str
    files: list[FileView] = Field(
        description="Các tệp của thành phần, nộp cùng hồ sơ (lần bổ sung ở `supplements`)"
    )


class SupplementRoundView(BaseModel):
    supplement_round: int
    files: list[FileView]


class DossierDetail(BaseModel):
    """A dossier. Its readers (the owner, officers of the handling agency, auditors: the shared access
    policy) see it whole; anyone else sees only the public state of a dossier with no owner, without
    personal data or file names (`full` false)."""

    code: str
    procedure_code: str
    procedure_name: str | None
    agency_id: str
    channel: int
    status: int
    status_name: str
    submitted_at: datetime
    updated_at: datetime
    full: bool = Field(default=False, description="Whether the whole dossier is shown to the caller")
    files: list[FileView] = Field(default_factory=list, description="Every file (readers only)")
    applicant: ApplicantView | None = None
    authorised_person: AuthorisedPersonView | None = Field(
        default=None, description="Người được ủy quyền nộp hồ sơ (Lai Châu Điều 10.1.a)"
    )
    eform: dict[str, Any] | None = Field(default=None, description="Tờ khai điện tử đã khai")
    result_delivery: str | None = Field(default=None, description="online, counter hoặc post")
    result_delivery_name: str | None = None
    postal_address: str | None = None
    components: list[ComponentView] = Field(default_factory=list)
    supplements: list[SupplementRoundView] = Field(default_factory=list)
    results: list[FileView] = Field(default_factory=list, description="Kết quả giải quyết trả trực tuyến")


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


class ProcedureAgencyView(BaseModel):
    agency_id: str = Field(description="Mã cơ quan thực hiện (giá trị của `agency_id` khi nộp hồ sơ)")
    agency_name: str
    receiving_agency_id: str | None = Field(
        default=None,
        description="Cơ quan có Bộ phận Một cửa tiếp nhận hồ sơ (trống: chính cơ quan thực hiện)",
    )


class ProcedureView(BaseModel):
    code: str
    name: str
    agency_id: str
    agency_name: str
    online_level: str
    signature_required: bool
    notice: str | None
    form_schema: dict[str, Any] | None = Field(
        description="JSON Schema (2020-12) của tờ khai điện tử; `eform` khi nộp phải theo lược đồ này"
    )
    result_delivery: list[str] = Field(description="Các hình thức nhận kết quả: online, counter, post")
    components: list[str] = Field(
        default_factory=list,
        description="Thành phần hồ sơ bắt buộc, đánh số từ 1 theo thứ tự (trường `components`)",
    )
    agencies: list[ProcedureAgencyView] = Field(
        default_factory=list, description="Cơ quan thực hiện thủ tục; người nộp chọn một (`agency_id`)"
    )


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema with its `$defs` inlined, to embed in an OpenAPI document (a multipart
    part's `contentSchema`), where `#/$defs/...` would point at the document's root."""
    schema = model.model_json_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")]) | {
                    k: walk(v) for k, v in node.items() if k != "$ref"
                }
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined
