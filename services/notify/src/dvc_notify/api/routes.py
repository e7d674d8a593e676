"""HTTP routes (thin): what was sent about a dossier, failed deliveries for officers, templates for the operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from dvc_common.auth import Principal, Role, require_roles
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_notify import service
from dvc_notify.domain.rendering import TemplateSource
from dvc_notify.models import Delivery, Template
from dvc_notify.repository import NotifyRepository

router = APIRouter(prefix="/api/v1", tags=["notifications"])

Channel = Literal["email", "zalo"]
Officer = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.ONE_STOP_OFFICER,
            Role.PROVINCIAL_OPERATOR,
            Role.AGENCY_LEADER,
            Role.DEPARTMENT_HEAD,
            Role.AUDITOR,
        )
    ),
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]


def notifier_of(request: Request) -> service.Notifier:
    notifier: service.Notifier = request.app.state.notifier
    return notifier


NotifierDep = Annotated[service.Notifier, Depends(notifier_of)]


class DeliveryView(BaseModel):
    channel: str
    subject: str
    outcome: str = Field(description="queued | sending | sent | failed")
    reason: str | None
    created_at: datetime


@router.get("/dossiers/{code}/notifications", response_model=list[DeliveryView], summary="Thông báo đã gửi")
async def notifications(code: str, runtime: RuntimeDep) -> list[DeliveryView]:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).deliveries(code)
    return [
        DeliveryView(
            channel=r.channel, subject=r.subject, outcome=r.status, reason=r.reason, created_at=r.created_at
        )
        for r in rows
    ]


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


def _detail(d: Delivery) -> DeliveryDetail:
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


@router.get(
    "/deliveries",
    response_model=DeliveryPage,
    summary="Nhật ký gửi thông báo theo trạng thái (mặc định: gửi không thành công)",
)
async def deliveries(
    runtime: RuntimeDep,
    officer: Officer,
    status: Literal["queued", "sending", "sent", "failed"] = "failed",
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryPage:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).deliveries_by_status(status, after_id=after, limit=limit)
    items = [_detail(r) for r in rows]
    return DeliveryPage(items=items, next_after=items[-1].id if len(items) == limit else None)


@router.get("/deliveries/summary", summary="Số thông báo theo trạng thái")
async def delivery_summary(runtime: RuntimeDep, officer: Officer) -> dict[str, int]:
    async with runtime.transaction() as session:
        return await NotifyRepository(session).status_counts()


@router.get(
    "/dossiers/{code}/deliveries", response_model=list[DeliveryDetail], summary="Nhật ký gửi của hồ sơ"
)
async def dossier_deliveries(code: str, runtime: RuntimeDep, officer: Officer) -> list[DeliveryDetail]:
    async with runtime.transaction() as session:
        return [_detail(r) for r in await NotifyRepository(session).deliveries(code)]


# ---------------------------------------------------------------- templates (provincial operator)


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


def _template_view(t: Template) -> TemplateView:
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


@router.get("/templates", response_model=list[TemplateView], summary="Các mẫu thông báo đang dùng")
async def templates(runtime: RuntimeDep, operator: Operator) -> list[TemplateView]:
    async with runtime.transaction() as session:
        return [_template_view(t) for t in await NotifyRepository(session).current_templates()]


@router.get(
    "/templates/{event_type}/{channel}",
    response_model=list[TemplateView],
    summary="Các phiên bản của một mẫu",
)
async def template_versions(
    event_type: str, channel: Channel, runtime: RuntimeDep, operator: Operator
) -> list[TemplateView]:
    async with runtime.transaction() as session:
        rows = await NotifyRepository(session).template_versions(event_type, channel)
    if not rows:
        raise Problem(
            404, "unknown-template", "Không có mẫu này", f"Chưa có mẫu cho {event_type} / {channel}."
        )
    return [_template_view(t) for t in rows]


@router.put(
    "/templates/{event_type}/{channel}",
    response_model=TemplateView,
    summary="Lưu phiên bản mới của mẫu (áp dụng cho các thông báo tạo sau đó)",
)
async def save_template(
    event_type: str,
    channel: Channel,
    body: TemplateBody,
    runtime: RuntimeDep,
    notifier: NotifierDep,
    operator: Operator,
) -> TemplateView:
    async with runtime.transaction() as session:
        saved = await service.save_template(
            session,
            notifier,
            event_type,
            channel,
            body.source(channel),
            author=operator.subject,
            note=body.note,
        )
    return _template_view(saved)


@router.post("/templates/{event_type}/{channel}/preview", summary="Xem trước mẫu với dữ liệu mẫu")
async def preview_template(
    event_type: str,
    channel: Channel,
    body: PreviewRequest,
    runtime: RuntimeDep,
    notifier: NotifierDep,
    operator: Operator,
) -> dict[str, Any]:
    if body.template is not None:
        source = body.template.source(channel)
    else:
        async with runtime.transaction() as session:
            current = await NotifyRepository(session).current_template(event_type, channel)
        if current is None:
            raise Problem(
                404, "unknown-template", "Không có mẫu này", f"Chưa có mẫu cho {event_type} / {channel}."
            )
        source = service.template_source(current)
    return service.preview(notifier, event_type, channel, source, body.sample)
