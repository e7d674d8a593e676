"""Notify's request and response models (never its table models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, RootModel

from dvc_notify.domain.rendering import Rendered, TemplateSource
from dvc_notify.models import Delivery, Template

Channel = Literal["email", "zalo"]
DeliveryStatus = Literal["queued", "sending", "sent", "failed"]


class DeliveryView(BaseModel):
    channel: str
    subject: str
    outcome: str = Field(description="queued | sending | sent | failed")
    reason: str | None
    created_at: datetime


def delivery_view(d: Delivery) -> DeliveryView:
    return DeliveryView(
        channel=d.channel, subject=d.subject, outcome=d.status, reason=d.reason, created_at=d.created_at
    )


class DeliveryDetail(BaseModel):
    id: int
    dossier_code: str
    event_type: str
    event_id: str
    channel: str
    recipient: str
    status: str
    reason: str | None
    attempts: int
    provider_answer: str | None
    fallback_of: int | None
    subject: str
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None


def delivery_detail(d: Delivery) -> DeliveryDetail:
    assert d.id is not None
    return DeliveryDetail(
        id=d.id,
        dossier_code=d.dossier_code,
        event_type=d.event_type,
        event_id=str(d.event_id),
        channel=d.channel,
        recipient=d.recipient,
        status=d.status,
        reason=d.reason,
        attempts=d.attempts,
        provider_answer=d.provider_answer,
        fallback_of=d.fallback_of,
        subject=d.subject,
        created_at=d.created_at,
        updated_at=d.updated_at,
        sent_at=d.sent_at,
    )


class DeliveryPage(BaseModel):
    items: list[DeliveryDetail]
    next_after: int | None = Field(description="Pass as `after` for the next page")


def delivery_page(rows: list[Delivery], limit: int) -> DeliveryPage:
    items = [delivery_detail(r) for r in rows]
    return DeliveryPage(items=items, next_after=items[-1].id if len(items) == limit else None)


class DeliveryCounts(RootModel[dict[str, int]]):
    """Number of deliveries per status (queued, sending, sent, failed); statuses without any are left out."""


class TemplateBody(BaseModel):
    subject: str | None = Field(default=None, description="Tiêu đề thư (Jinja2)")
    body_text: str | None = Field(default=None, description="Nội dung thư dạng văn bản (Jinja2)")
    body_html: str | None = Field(default=None, description="Nội dung thư dạng HTML (Jinja2, tự thoát ký tự)")
    zalo_template_id: str | None = Field(default=None, description="Mã mẫu ZNS đã được Zalo duyệt")
    zalo_data: dict[str, str] | None = Field(default=None, description="Tham số mẫu ZNS → biểu thức Jinja2")
    note: str | None = Field(default=None, description="Ghi chú về lần sửa")

    def source(self, channel: str) -> TemplateSource:
        return TemplateSource(
            channel=channel,
            subject=self.subject,
            body_text=self.body_text,
            body_html=self.body_html,
            zalo_template_id=self.zalo_template_id,
            zalo_data=self.zalo_data or {},
        )


class TemplateView(TemplateBody):
    event_type: str
    channel: str
    version: int
    author: str
    created_at: datetime


def template_view(t: Template) -> TemplateView:
    return TemplateView(
        event_type=t.event_type,
        channel=t.channel,
        version=t.version,
        subject=t.subject,
        body_text=t.body_text,
        body_html=t.body_html,
        zalo_template_id=t.zalo_template_id,
        zalo_data=t.zalo_data,
        note=t.note,
        author=t.author,
        created_at=t.created_at,
    )


class PreviewRequest(BaseModel):
    template: TemplateBody | None = Field(default=None, description="Bản nháp; bỏ trống để xem mẫu đang dùng")
    sample: dict[str, Any] | None = Field(
        default=None,
        description='Dữ liệu sự kiện mẫu (ghi đè ví dụ trong danh mục sự kiện), ví dụ {"status": 5}',
    )


class PreviewView(BaseModel):
    """A template rendered against sample data: the e-mail, or the ZNS template and its parameters."""

    subject: str
    body_text: str
    body_html: str | None
    zalo_template_id: str | None
    zalo_data: dict[str, str] | None


def preview_view(r: Rendered) -> PreviewView:
    return PreviewView(
        subject=r.subject,
        body_text=r.body_text,
        body_html=r.body_html,
        zalo_template_id=r.zalo_template_id,
        zalo_data=r.zalo_data,
    )
