"""HTTP routes of a dossier's lifecycle: the look-up by code, actions, the timeline, my dossiers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from dvc_common.http_auth import CurrentPrincipal
from dvc_workflow.deps import Ctx, Lookups, Now, Reader, Runtime
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.schemas import ActionRequest, DossierLifecycle, DossierTimeline, lifecycle_view
from dvc_workflow.service import lifecycle, queues
from dvc_workflow.service import timeline as reading

router = APIRouter(prefix="/api/v1", tags=["workflow"])


@router.get(
    "/dossiers/{code}",
    response_model=DossierLifecycle,
    summary="Tra cứu quá trình xử lý hồ sơ theo mã: công khai (không có dữ liệu cá nhân, giới hạn số lần "
    "mỗi phút); người có quyền xem hồ sơ thấy đầy đủ",
)
async def dossier(code: str, runtime: Runtime, reader: Reader, lookups: Lookups) -> DossierLifecycle:
    if reader is None:
        await lookups.spend()  # before the database: anonymous callers are limited per client address
    async with runtime.transaction() as session:
        found = await reading.look_up(session, code, reader)
    if not found.full and reader is not None:
        await lookups.spend()  # a token that may not read the dossier gets the public look-up, limited too
    return lifecycle_view(found.dossier, found.history, public=not found.full)


@router.post(
    "/dossiers/{code}/actions/{action}",
    response_model=DossierLifecycle,
    summary="Thực hiện một thao tác trên hồ sơ (tiếp nhận, chuyển bước, bổ sung, gia hạn, ...)",
)
async def act(
    code: str,
    action: Action,
    runtime: Runtime,
    ctx: Ctx,
    now: Now,
    actor: CurrentPrincipal,
    body: Annotated[ActionRequest | None, Body()] = None,
) -> DossierLifecycle:
    async with runtime.transaction() as session:
        state = await lifecycle.transition(session, ctx, code, action, actor, body or ActionRequest(), now)
    return lifecycle_view(state.dossier, state.history)


@router.get(
    "/dossiers/{code}/timeline",
    response_model=DossierTimeline,
    summary="Dòng thời gian và Phiếu kiểm soát quá trình giải quyết (Mẫu 06)",
)
async def timeline(
    code: str, runtime: Runtime, ctx: Ctx, now: Now, actor: CurrentPrincipal
) -> DossierTimeline:
    async with runtime.transaction() as session:
        return await reading.timeline(session, ctx, code, actor, now)


@router.get("/my/dossiers", response_model=list[DossierLifecycle], summary="Hồ sơ của tôi (công dân)")
async def my_dossiers(
    runtime: Runtime, actor: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=100)] = 50
) -> list[DossierLifecycle]:
    async with runtime.transaction() as session:
        rows = await queues.my_dossiers(session, actor, limit)
    return [lifecycle_view(d, []) for d in rows]
