"""Reconciliation with the platform: confirm open attempts, fetch missing receipts, compare the
settlement lists with our records."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from dvc_payments.platform import PlatformUnavailable
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.confirmation import apply
from dvc_payments.service.context import PaymentsContext, now
from dvc_payments.service.failures import record_mismatch
from dvc_payments.service.receipts import fetch_receipt

log = logging.getLogger(__name__)


async def reconcile(ctx: PaymentsContext, *, min_age_seconds: float, days: int = 2) -> dict[str, Any]:
    """Confirm open attempts, fetch missing receipts, compare settlement lists with our records."""
    report: dict[str, Any] = {"confirmed": [], "receipts": 0, "mismatches": [], "unavailable": False}
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        open_refs = await repo.open_attempts(min_age_seconds)
        verified = await repo.verified_without_receipt()
    try:
        for reference in open_refs:
            outcome = await apply(ctx, await ctx.platform.query(reference))
            if outcome.verdict != "pending":
                report["confirmed"].append({"reference": reference, "verdict": outcome.verdict})
        for payment_id in verified:
            report["receipts"] += int(await fetch_receipt(ctx, payment_id))
        today = now().astimezone(ctx.tz).date()
        for back in range(days):
            day = today - timedelta(days=back)
            report["mismatches"] += await _compare_settlement(ctx, day.strftime("%Y%m%d"))
    except PlatformUnavailable as exc:
        log.warning("reconciliation: platform unavailable", extra={"error": str(exc)})
        report["unavailable"] = True
    return report


async def _compare_settlement(ctx: PaymentsContext, day: str) -> list[dict[str, Any]]:
    settled = {str(r.get("MaThamChieu")): r for r in await ctx.platform.settlement(day)}
    found: list[dict[str, Any]] = []
    iso = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    for reference, row in settled.items():
        async with ctx.uow() as session:
            attempt = await PaymentsRepository(session).attempt(reference)
        if attempt is not None and attempt.status not in ("paid", "duplicate", "amount_mismatch"):
            # The platform has it paid but we never heard (callback lost): confirm by QUERY now.
            await apply(ctx, await ctx.platform.query(reference))
        async with ctx.uow() as session:
            repo = PaymentsRepository(session)
            attempt = await repo.attempt(reference)
            request = await repo.request(attempt.payment_id) if attempt else None
            amount = row.get("SoTien")
            kind = None
            if attempt is None:
                kind = "unknown_reference"
            elif attempt.status not in ("paid", "duplicate", "amount_mismatch"):
                kind = "paid_not_recorded"
            elif amount != attempt.amount and attempt.status == "paid":
                kind = "amount_mismatch"
            if kind and await record_mismatch(
                ctx,
                session,
                kind,
                attempt,
                request,
                amount if isinstance(amount, int) else None,
                reference=reference,
                transaction_id=row.get("MaGiaoDich"),
                settlement_date=iso,
            ):
                found.append({"kind": kind, "reference": reference})
    start = datetime.strptime(day, "%Y%m%d").replace(tzinfo=ctx.tz)
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        for attempt in await repo.paid_attempts_between(start, start + timedelta(days=1)):
            if attempt.reference in settled or (now() - (attempt.paid_at or now())) < timedelta(minutes=30):
                continue  # settlement lists lag behind the newest payments
            request = await repo.request(attempt.payment_id)
            if await record_mismatch(
                ctx, session, "recorded_not_settled", attempt, request, None, settlement_date=iso
            ):
                found.append({"kind": "recorded_not_settled", "reference": attempt.reference})
    return found
