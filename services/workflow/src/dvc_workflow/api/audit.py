"""HTTP route verifying workflow's audit chain."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.audit import ChainVerdict
from dvc_workflow.deps import Auditor, Runtime
from dvc_workflow.schemas import AuditVerification
from dvc_workflow.service import audit

router = APIRouter(prefix="/api/v1", tags=["workflow"])


@router.get(
    "/audit/verify",
    response_model=AuditVerification,
    summary="Kiểm tra toàn vẹn chuỗi nhật ký (hash-chain)",
)
async def verify_audit(runtime: Runtime, actor: Auditor) -> AuditVerification:
    async with runtime.transaction() as session:
        verdict = await audit.verify_audit(session)
    return AuditVerification(
        ok=verdict.ok,
        checked=verdict.checked,
        first_broken_seq=verdict.first_broken_seq,
        head_mismatch_seq=verdict.checkpoint_mismatch,
        message=_message(verdict),
    )


def _message(verdict: ChainVerdict) -> str:
    if verdict.ok:
        return f"Chuỗi nhật ký toàn vẹn ({verdict.checked} bản ghi)."
    if verdict.first_broken_seq is not None:
        return f"Chuỗi nhật ký bị sửa đổi: bản ghi đầu tiên không khớp là số {verdict.first_broken_seq}."
    return f"Đầu chuỗi đã ghi nhận tại bản ghi số {verdict.checkpoint_mismatch} không còn khớp."
