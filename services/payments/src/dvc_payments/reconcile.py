"""The scheduled reconciliation: one replica at a time (database lease), every interval."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from dvc_common.lease import Lease
from dvc_common.runtime import ServiceRuntime
from dvc_payments.service import Payments

log = logging.getLogger(__name__)


class Reconciler:
    def __init__(self, payments: Payments, lease: Lease, *, interval: float, min_age_seconds: float) -> None:
        self.payments = payments
        self.lease = lease
        self.interval = interval
        self.min_age_seconds = min_age_seconds
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._running = asyncio.Lock()

    async def run_once(self, *, force: bool = False) -> dict[str, Any]:
        """One pass if this replica holds the lease; `force` (an operator's request) skips the age filter."""
        if not await self.lease.acquire():
            return {"skipped": "another replica holds the reconciliation lease"}
        async with self._running:
            work = asyncio.create_task(
                self.payments.reconcile(min_age_seconds=0 if force else self.min_age_seconds)
            )
            keeper = asyncio.create_task(self._keep_lease(work))
            try:
                report = await work
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # we are being stopped
                return {"skipped": "the reconciliation lease was lost during the pass"}
            finally:
                keeper.cancel()
        if report["mismatches"] or report["confirmed"]:
            log.warning("reconciliation", extra={"report": report})
        return report

    async def _keep_lease(self, work: asyncio.Task[dict[str, Any]]) -> None:
        """Renew the lease while a pass runs; if it is lost, stop the pass (another replica has it)."""
        while not work.done():
            await asyncio.sleep(self.lease.ttl_seconds / 3)
            if not work.done() and not await self.lease.acquire():
                log.error("reconciliation lease lost; stopping this pass")
                work.cancel()
                return

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("reconciliation pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)

    async def start(self, runtime: ServiceRuntime) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self._loop(), name="payments-reconcile")

    async def shutdown(self, runtime: ServiceRuntime) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.lease.release()
