"""GET /api/v1/events: the history feed for integrators ("changes since")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dvc_common.runtime import RuntimeDep
from dvc_event_log import errors
from dvc_event_log.deps import Integrator, SettingsDep
from dvc_event_log.domain.feed import SERVED_TYPES, InvalidCursor, parse_cursor
from dvc_event_log.schemas import EventPage, event_page
from dvc_event_log.service import feed

router = APIRouter(prefix="/api/v1", tags=["event-log"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.get(
    "/events",
    response_model=EventPage,
    summary="Các sự kiện công khai kể từ một con trỏ (đồng bộ lại, theo dõi bù), theo thứ tự ghi nhận",
    responses={
        401: {"description": "Thiếu hoặc sai khóa truy cập X-API-Key", **PROBLEM},
        410: {"description": "Con trỏ cũ hơn thời hạn lưu trữ: đồng bộ lại từ đầu", **PROBLEM},
        422: {"description": "Con trỏ, loại sự kiện hoặc limit không hợp lệ", **PROBLEM},
    },
)
async def events(
    runtime: RuntimeDep,
    settings: SettingsDep,
    _integrator: Integrator,
    after: Annotated[
        str | None, Query(description="The `next` of the previous page; empty or 0: the oldest kept")
    ] = None,
    type_: Annotated[
        list[str] | None, Query(alias="type", description="CloudEvents type; repeatable")
    ] = None,
    subject: Annotated[str | None, Query(max_length=128, description="Dossier code or aggregate id")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventPage:
    try:
        cursor = parse_cursor(after)
    except InvalidCursor:
        raise errors.invalid_cursor(after or "") from None
    types = type_ or []
    unknown = [t for t in types if t not in SERVED_TYPES]
    if unknown:
        raise errors.unknown_types(unknown)
    async with runtime.transaction() as session:
        try:
            page = await feed.read_page(
                session, after=cursor, types=types, subject=subject, limit=min(limit, settings.feed_page_max)
            )
        except feed.CursorExpired as expired:
            raise errors.cursor_expired(expired.purged_through) from None
    return event_page(page)
