"""Template routes for the provincial operator: the templates in use, their versions, edits and previews."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.runtime import RuntimeDep
from dvc_notify.deps import NotifierDep, Operator
from dvc_notify.schemas import (
    Channel,
    PreviewRequest,
    PreviewView,
    TemplateBody,
    TemplateView,
    preview_view,
    template_view,
)
from dvc_notify.service import templates as service

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/templates", response_model=list[TemplateView], summary="Các mẫu thông báo đang dùng")
async def templates(runtime: RuntimeDep, operator: Operator) -> list[TemplateView]:
    async with runtime.transaction() as session:
        rows = await service.current_templates(session)
    return [template_view(t) for t in rows]


@router.get(
    "/templates/{event_type}/{channel}",
    response_model=list[TemplateView],
    summary="Các phiên bản của một mẫu",
)
async def template_versions(
    event_type: str, channel: Channel, runtime: RuntimeDep, operator: Operator
) -> list[TemplateView]:
    async with runtime.transaction() as session:
        rows = await service.template_versions(session, event_type, channel)
    return [template_view(t) for t in rows]


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
    return template_view(saved)


@router.post(
    "/templates/{event_type}/{channel}/preview",
    response_model=PreviewView,
    summary="Xem trước mẫu với dữ liệu mẫu",
)
async def preview_template(
    event_type: str,
    channel: Channel,
    body: PreviewRequest,
    runtime: RuntimeDep,
    notifier: NotifierDep,
    operator: Operator,
) -> PreviewView:
    draft = body.template.source(channel) if body.template is not None else None
    async with runtime.transaction() as session:
        rendered = await service.preview_template(session, notifier, event_type, channel, draft, body.sample)
    return preview_view(rendered)
