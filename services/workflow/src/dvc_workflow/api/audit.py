"""HTTP route verifying workflow's audit chain."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dvc_workflow.deps import Auditor, Runtime
from dvc_workflow.service import audit

router = APIRouter(prefix="/api/v1", tags=["workflow"])


@router.get("/audit/verify", summary="Kiểm tra toàn vẹn chuỗi nhật ký (hash-chain)")
async def verify_audit(runtime: Runtime, actor: Auditor) -> dict[str, Any]:
    async with runtime.transaction() as session:
        verdict = await audit.verify_audit(session)
    if verdict.ok:
        message = f"Chuỗi nhật ký toàn vẹn ({verdict.checked} bản ghi)."
    elif verdict.first_broken_seq is not None:
        message = f"Chuỗi nhật ký bị sửa đổi: bản ghi đầu tiên không khớp là số {verdict.first_broken_seq}."
    else:
        message = f"Đầu chuỗi đã ghi nhận tại bản ghi số {verdict.head_mismatch} không còn khớp."
    return {
        "ok": verdict.ok,
        "checked": verdict.checked,
        "first_broken_seq": verdict.first_broken_seq,
        "head_mismatch_seq": verdict.head_mismatch,
        "message": message,
    }
