"""Operator endpoints (Văn phòng UBND tỉnh / Trung tâm PVHCC): backlog, failures, one dossier's sync,
resend, reconciliation with the national portal. Provincial operators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import TypeAdapter

from dvc_common.http_auth import require_roles
from dvc_common.principal import Role
from dvc_common.runtime import RuntimeDep
from dvc_sync_national.deps import SyncDep
from dvc_sync_national.errors import portal_unavailable
from dvc_sync_national.portal import PortalUnavailable
from dvc_sync_national.schemas import (
    AttemptOut,
    Backlog,
    ChangeOut,
    DossierSync,
    DossierSyncSummary,
    Reconciliation,
    ResendOutcome,
)
from dvc_sync_national.service import operator_views
from dvc_sync_national.service.reconciliation import reconcile

router = APIRouter(
    prefix="/api/v1/sync",
    tags=["vận hành đồng bộ"],
    dependencies=[Depends(require_roles(Role.PROVINCIAL_OPERATOR))],
)
_resend_outcome: TypeAdapter[ResendOutcome] = TypeAdapter(ResendOutcome)


@router.get("/backlog", summary="Thay đổi trạng thái chưa đồng bộ và hồ sơ đang lỗi")
async def backlog(runtime: RuntimeDep) -> Backlog:
    async with runtime.transaction() as session:
        counts, failing = await operator_views.backlog(session)
    return Backlog(**counts, failing=[DossierSyncSummary.of(d) for d in failing])


@router.get("/failures", summary="Hồ sơ đồng bộ thất bại gần nhất")
async def failures(
    runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[DossierSyncSummary]:
    async with runtime.transaction() as session:
        failing = await operator_views.failing_dossiers(session, limit)
    return [DossierSyncSummary.of(d) for d in failing]


@router.get("/dossiers/{code}", summary="Trạng thái đồng bộ của một hồ sơ: lần gửi, thay đổi, lỗi")
async def dossier(code: str, runtime: RuntimeDep) -> DossierSync:
    async with runtime.transaction() as session:
        found, changes, attempts = await operator_views.dossier_sync(session, code)
    return DossierSync.of(
        found, changes=[ChangeOut.of(c) for c in changes], attempts=[AttemptOut.of(a) for a in attempts]
    )


@router.post("/dossiers/{code}/resend", summary="Gửi lại một hồ sơ lên Cổng ngay")
async def resend(code: str, runtime: RuntimeDep, sync: SyncDep) -> ResendOutcome:
    try:
        async with runtime.transaction() as session:
            outcome = await operator_views.resend(session, sync.portal, sync.tz, code)
    except PortalUnavailable as exc:
        raise portal_unavailable(exc) from exc
    sync.wake_dispatcher()  # after the commit, so that the dispatcher sees what was queued
    return _resend_outcome.validate_python(outcome)


@router.get("/reconciliation", summary="Đối soát với Cổng: khác biệt và tỷ lệ hồ sơ đã đồng bộ")
async def reconciliation(runtime: RuntimeDep, sync: SyncDep, agency_id: str | None = None) -> Reconciliation:
    try:
        async with runtime.transaction() as session:
            report = await reconcile(session, sync.portal, agency_id=agency_id)
    except PortalUnavailable as exc:
        raise portal_unavailable(exc) from exc
    return Reconciliation.model_validate(report)
