"""The account audit trail and its verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dvc_identity.deps import Auditor, Ctx, Reader, Runtime
from dvc_identity.schemas import AuditView, ChainCheck
from dvc_identity.service import audit

router = APIRouter(tags=["audit"])


@router.get("/api/v1/audit", summary="Nhật ký thao tác tài khoản")
async def audit_trail(
    principal: Reader,
    rt: Runtime,
    agency_id: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    after: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditView]:
    async with rt.transaction() as session:
        return await audit.audit_trail(
            session, principal, agency_id=agency_id, actor=actor, target=target, after=after, limit=limit
        )


@router.get("/api/v1/audit/verify", summary="Kiểm tra toàn vẹn chuỗi nhật ký")
async def audit_verify(principal: Auditor, rt: Runtime, ctx: Ctx) -> ChainCheck:
    async with rt.transaction() as session:
        return await audit.verify_audit_chain(session, page=ctx.settings.audit_verify_page)
