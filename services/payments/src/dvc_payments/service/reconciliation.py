"""Reconciliation with the platform: confirm open attempts, fetch missing receipts, compare the
settlement lists with our records."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.jobs import LeaseLost, NotLeader, run_exclusively
from dvc_common.lease import Lease
from dvc_payments.errors import mismatch_not_found
from dvc_payments.models import Mismatch, PaymentAttempt
from dvc_payments.platform import PlatformUnavailable
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.confirmation import apply
from dvc_payments.service.context import PaymentsContext, now
from dvc_payments.service.failures import record_mismatch
from dvc_payments.service.receipts import fetch_receipt

log = logging.getLogger(__name__)

SETTLED_STATUSES = ("paid", "duplicate", "amount_mismatch")  # the platform's word on them is recorded
MAX_CATCH_UP_DAYS = 31


class ReconciliationRuns:
    """This replica's reconciliation passes, one at a time: the scheduled ones (a `PeriodicJob`
    under the lease, leaving fresh attempts to their callback) and an operator's, at once."""

    def __init__(self, ctx: PaymentsContext, lease: Lease, *, min_age_seconds: float) -> None:
        self.ctx = ctx
        self.lease = lease
        self.min_age_seconds = min_age_seconds
        self._running = asyncio.Lock()
        self._last_day: date | None = None  # the last day this replica compared settlements for

    async def scheduled(self) -> None:
        """A pass of the periodic job (which holds the lease)."""
        await self._pass(self.min_age_seconds)

    async def now(self) -> dict[str, Any]:
        """An operator's pass without the age filter, if this replica holds the lease."""
        try:
            return await run_exclusively(self.lease, lambda: self._pass(0))
        except NotLeader:
            return {"skipped": "another replica holds the reconciliation lease"}
        except LeaseLost:
            return {"skipped": "the reconciliation lease was lost during the pass"}

    async def _pass(self, min_age_seconds: float) -> dict[str, Any]:
        async with self._running:
            today = now().astimezone(self.ctx.tz).date()
            report = await reconcile(self.ctx, min_age_seconds=min_age_seconds, days=self._days_to(today))
            if not report["unavailable"]:
                self._last_day = today
        if report["mismatches"] or report["confirmed"]:
            log.warning("reconciliation", extra={"report": report})
        return report

    def _days_to(self, today: date) -> int:
        """Settlement days to compare: the last two, or every day since the last pass when the clock
        jumped further (a training clock moved forward); mismatches are recorded once each."""
        if self._last_day is None:
            return 2
        return min(max(2, (today - self._last_day).days + 1), MAX_CATCH_UP_DAYS)


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
    iso = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    found: list[dict[str, Any]] = []
    for reference, row in settled.items():
        kind = await _check_settled(ctx, reference, row, iso)
        if kind is not None:
            found.append({"kind": kind, "reference": reference})
    start = datetime.strptime(day, "%Y%m%d").replace(tzinfo=ctx.tz)
    for reference in await _recorded_not_settled(ctx, start, settled, iso):
        found.append({"kind": "recorded_not_settled", "reference": reference})
    return found


def _settlement_kind(attempt: PaymentAttempt | None, settled_amount: Any) -> str | None:
    """How a settled transaction disagrees with our record of it (None: it agrees)."""
    if attempt is None:
        return "unknown_reference"
    if attempt.status not in SETTLED_STATUSES:
        return "paid_not_recorded"
    if settled_amount != attempt.amount and attempt.status == "paid":
        return "amount_mismatch"
    return None


async def _check_settled(ctx: PaymentsContext, reference: str, row: dict[str, Any], iso: str) -> str | None:
    """The kind of mismatch newly reported for one settled transaction, if any."""
    async with ctx.uow() as session:
        attempt = await PaymentsRepository(session).attempt(reference)
    if attempt is not None and attempt.status not in SETTLED_STATUSES:
        # The platform has it paid but we never heard (callback lost): confirm by QUERY now.
        await apply(ctx, await ctx.platform.query(reference))
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        attempt = await repo.attempt(reference)
        request = await repo.request(attempt.payment_id) if attempt else None
        amount = row.get("SoTien")
        kind = _settlement_kind(attempt, amount)
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
            return kind
    return None


async def _recorded_not_settled(
    ctx: PaymentsContext, start: datetime, settled: dict[str, dict[str, Any]], iso: str
) -> list[str]:
    """Our payments of the day missing from its settlement list, newly reported."""
    reported: list[str] = []
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        for attempt in await repo.paid_attempts_between(start, start + timedelta(days=1)):
            if attempt.reference in settled or (now() - (attempt.paid_at or now())) < timedelta(minutes=30):
                continue  # settlement lists lag behind the newest payments
            request = await repo.request(attempt.payment_id)
            if await record_mismatch(
                ctx, session, "recorded_not_settled", attempt, request, None, settlement_date=iso
            ):
                reported.append(attempt.reference)
    return reported


async def mismatches(session: AsyncSession, *, include_resolved: bool) -> list[Mismatch]:
    return await PaymentsRepository(session).mismatches(unresolved_only=not include_resolved)


async def resolve_mismatch(session: AsyncSession, mismatch_id: int, by: str, resolution: str) -> Mismatch:
    """What the accountant did about a mismatch (e.g. refunded); a resolved one stays as it was."""
    mismatch = await PaymentsRepository(session).resolve_mismatch(mismatch_id, by, resolution)
    if mismatch is None:
        raise mismatch_not_found(mismatch_id)
    return mismatch
