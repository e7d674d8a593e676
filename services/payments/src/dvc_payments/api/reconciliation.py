"""Reconciliation for the accountant: a pass now, the mismatches found, and what was done about them."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.runtime import RuntimeDep
from dvc_payments.deps import Accountant, PaymentsDep
from dvc_payments.schemas import MismatchOut, ReconciliationReport, ReconciliationSkipped, Resolution
from dvc_payments.service import reconciliation

router = APIRouter(prefix="/api/v1", tags=["payments"])


@router.post("/reconciliation/run", summary="Đối soát ngay với nền tảng thanh toán")
async def run_reconciliation(
    officer: Accountant, payments: PaymentsDep
) -> ReconciliationReport | ReconciliationSkipped:
    report = await payments.reconcile_now()
    if "skipped" in report:
        return ReconciliationSkipped.model_validate(report)
    return ReconciliationReport.model_validate(report)


@router.get("/reconciliation/mismatches", summary="Các sai lệch đối soát (mặc định: chưa xử lý)")
async def mismatches(
    officer: Accountant, runtime: RuntimeDep, include_resolved: bool = False
) -> list[MismatchOut]:
    async with runtime.transaction() as session:
        rows = await reconciliation.mismatches(session, include_resolved=include_resolved)
    return [MismatchOut.model_validate(m) for m in rows]


@router.post("/reconciliation/mismatches/{mismatch_id}/resolve", summary="Ghi nhận đã xử lý một sai lệch")
async def resolve(
    mismatch_id: int, body: Resolution, officer: Accountant, runtime: RuntimeDep
) -> MismatchOut:
    async with runtime.transaction() as session:
        mismatch = await reconciliation.resolve_mismatch(
            session, mismatch_id, officer.subject, body.resolution
        )
    return MismatchOut.model_validate(mismatch)
