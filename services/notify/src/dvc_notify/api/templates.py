"""Template routes for the provincial operator: the templates in use, their versions, edits and previews."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_notify.deps import NotifierDep, Operator
from dvc_notify.repository import NotifyRepository
from dvc_notify.schemas import Channel, PreviewRequest, TemplateBody, TemplateView, template_view
from dvc_notify.service import templates as service

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/templates", response_model=list[TemplateView], summary="Các mẫu thông báo đang dùng")
async def templates(runtime: RuntimeDep, operator: Operator) -> list[TemplateView]:
    async with runtime.transaction() as session:
        return [template_view(t) for t in await NotifyRepository(session).current_templates()]


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
