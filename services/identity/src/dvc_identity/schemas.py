"""Request and response models of identity's HTTP API (not tables, not events)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dvc_common.events import AgencyLevel
from dvc_common.principal import Role

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
PID_PATTERN = r"^[0-9]{12}$"


class AgencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=3, max_length=32, description="Mã định danh cơ quan, ví dụ 000.00.14.H56")
    name: str = Field(min_length=3, max_length=300)
    level: AgencyLevel
    parent_id: str | None = None
    active: bool = True


class AgencyView(BaseModel):
    id: str
    name: str
    level: str
    parent_id: str | None
    active: bool


class DepartmentView(BaseModel):
    code: str = Field(description="Mã phòng, ban (dùng khi gán cán bộ)")
    name: str


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class OfficerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN, description="Tên đăng nhập (chữ thường, số, . _ -)")
    agency_id: str
    full_name: str = Field(min_length=2, max_length=200)
    position: str = Field(min_length=2, max_length=200)
    department: str | None = Field(
        default=None,
        max_length=32,
        description="Mã một phòng, ban của cơ quan (GET /api/v1/agencies/{id}/departments)",
    )
    roles: list[Role] = Field(min_length=1)
    email: str = Field(
        max_length=200,
        pattern=EMAIL_PATTERN,
        description="Thư điện tử công vụ của chính cán bộ: mật khẩu tạm thời được gửi đến đây",
    )
    phone: str | None = Field(default=None, pattern=r"^(\+84|0)[0-9]{9,10}$")


class OfficerChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str | None = Field(default=None, min_length=2, max_length=200)
    position: str | None = Field(default=None, min_length=2, max_length=200)
    department: str | None = Field(default=None, max_length=32, description="Mã phòng, ban của cơ quan")
    roles: list[Role] | None = Field(default=None, min_length=1)
    email: str | None = Field(default=None, max_length=200, pattern=EMAIL_PATTERN)
    phone: str | None = Field(default=None, pattern=r"^(\+84|0)[0-9]{9,10}$")


class OfficerView(BaseModel):
    id: uuid.UUID
    username: str
    agency_id: str
    full_name: str
    position: str
    department: str | None = None
    department_name: str | None = None
    roles: list[str]
    email: str | None
    phone: str | None
    must_change_password: bool
    locked: bool
    lock_reason: str | None
    temporarily_locked_until: datetime | None
    population_access: bool = False


class CreatedOfficer(BaseModel):
    """An account opened or its password reset: the temporary password went to the holder's own e-mail."""

    officer: OfficerView
    credentials_sent_to: str = Field(
        description="Địa chỉ (đã che) nhận mật khẩu tạm thời: thư của chính cán bộ"
    )


class PendingChangeView(BaseModel):
    """A change of a privileged peer's account waiting for a second person's approval (four-eyes)."""

    id: uuid.UUID
    officer_id: uuid.UUID
    officer_username: str
    action: Literal["change", "lock"]
    change: dict[str, Any]
    requested_by: str
    requested_at: datetime
    status: Literal["pending", "approved", "refused"]
    decided_by: str | None
    decided_at: datetime | None


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class AuditView(BaseModel):
    seq: int
    at: datetime
    actor: str | None
    actor_kind: str | None
    action: str
    target: str | None
    agency_id: str | None
    source_address: str | None
    user_agent: str | None
    detail: dict[str, Any]
    hash: str


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    personal_id: str = Field(pattern=PID_PATTERN, description="Số định danh cá nhân (12 chữ số)")
    purpose: str = Field(min_length=10, max_length=500, description="Mục đích tra cứu")
    dossier_code: str = Field(min_length=5, max_length=40, description="Mã hồ sơ đang giải quyết")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PasswordChangeIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class RotatedKey(BaseModel):
    kid: str


class LockIn(BaseModel):
    reason: Literal["administrative", "moved", "left"] = "administrative"


class GrantIn(BaseModel):
    commitment_signed_on: date


class PublicJwk(BaseModel):
    """One public signing key (RFC 7517, EC P-256); the private half never leaves identity."""

    kty: str
    crv: str
    x: str
    y: str
    kid: str
    use: str
    alg: str


class Jwks(BaseModel):
    keys: list[PublicJwk]


class IssuerMetadata(BaseModel):
    """The part of OpenID Connect discovery that token verifiers use."""

    issuer: str
    jwks_uri: str
    token_endpoint: str
    id_token_signing_alg_values_supported: list[str]


class ChainCheck(BaseModel):
    """The chain's verdict (the fields `dvc audit verify` reads, like workflow's)."""

    ok: bool
    checked: int = Field(description="Số bản ghi đã kiểm tra (đến chỗ phá vỡ đầu tiên)")
    first_broken_seq: int | None = Field(description="Bản ghi đầu tiên có liên kết bị phá vỡ")
    broken: Literal["content", "link", "missing"] | None = Field(
        description="content: nội dung không khớp mã băm; link: không nối với bản ghi trước; missing: bị xóa"
    )
    message: str
    records: int = Field(description="Như checked (tên cũ)")
    intact: bool = Field(description="Như ok (tên cũ)")


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    identifier: str = Field(
        min_length=1,
        max_length=20,
        description="Số định danh cá nhân / số CCCD (12 chữ số) hoặc mã số của tổ chức (mã số thuế)",
    )
    kind: Literal["citizen", "organisation"] = Field(default="citizen", description="Công dân hay tổ chức")


class ResolvedSubject(BaseModel):
    subject: str = Field(description="Mã tài khoản của công dân, tổ chức trong hệ thống (chủ kho dữ liệu)")
    kind: Literal["citizen", "organisation"]
    name: str = Field(description="Họ tên công dân hoặc tên tổ chức theo VNeID")


class CitizenProfile(BaseModel):
    id: uuid.UUID
    kind: str
    identifier: str = Field(description="Số định danh cá nhân hoặc mã số thuế")
    full_name: str
    birth_date: date | None
    assurance_level: int = Field(description="Mức độ đảm bảo tài khoản định danh điện tử")


class PopulationRecord(BaseModel):
    """A citizen as the national population database answers (fields it adds are passed on)."""

    model_config = ConfigDict(extra="allow")

    personal_id: str | None = None
    full_name: str | None = None
    birth_date: str | None = None
    gender: str | None = None
    permanent_address: str | None = None
    nationality: str | None = None


class ClockView(BaseModel):
    """The system clock as the provincial operator sees it."""

    now: datetime = Field(description="Giờ hệ thống hiện tại (UTC)")
    now_local: str = Field(description="Giờ hệ thống theo giờ Việt Nam, ví dụ 15:30:00 ngày 03/02/2027")
    environment: str
    movable: bool = Field(description="Có được chỉnh đồng hồ không (không, khi vận hành thật)")
    mode: Literal["wall", "running", "frozen"]
    version: int
    offset_seconds: float
    frozen_at: datetime | None
    changed_at: datetime | None = Field(description="Lúc (giờ thật) đồng hồ được chỉnh lần cuối")
    changed_by: str | None
    description: str
