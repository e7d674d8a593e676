"""Deadline scheduler: one replica at a time (a database lease) announces due-soon and overdue questions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.lease import Lease
from dvc_qa import service

log = logging.getLogger(__name__)


class DeadlineScheduler:
    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        ctx: service.QaContext,
        lease: Lease,
        *,
        interval_seconds: float,
        batch_size: int,
    ) -> None:
        self._transaction = transaction
        self._ctx = ctx
        self._lease = lease
        self._interval = interval_seconds
        self._batch = batch_size

    async def run_once(self, now: datetime | None = None) -> int:
        """One pass if this replica holds the lease; how many events were emitted."""
        if not await self._lease.acquire():
            return 0
        total = 0
        while True:
            async with self._transaction() as session:
                sent = await service.announce_deadlines(
                    session, self._ctx, now=now or datetime.now(UTC), limit=self._batch
                )
            total += sent
            if sent < self._batch:
                return total

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                sent = await self.run_once()
                if sent:
                    log.info("deadline events emitted", extra={"count": sent})
            except Exception:
                log.exception("deadline pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval)
        with contextlib.suppress(Exception):
            await self._lease.release()
