"""The deadline supervisor: one active replica (database lease) emits due-soon / overdue events."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, suppress
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_workflow import service

log = logging.getLogger(__name__)

LEASE = "workflow.supervisor"


class Supervisor:
    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        ctx: service.Context,
        *,
        interval: float,
        lease_seconds: float,
        holder: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._transaction = transaction
        self._ctx = ctx
        self.interval = interval
        self.lease_seconds = lease_seconds
        self.holder = holder or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self._clock = clock or (lambda: datetime.now(UTC))

    async def tick(self) -> int | None:
        """One pass: None when another replica holds the lease, else the number of events emitted."""
        now = self._clock()
        async with self._transaction() as session:
            if not await service.take_lease(session, LEASE, self.holder, self.lease_seconds):
                return None
        async with self._transaction() as session:
            return await service.supervise(session, self._ctx, now)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                emitted = await self.tick()
                if emitted:
                    log.info("deadline events emitted", extra={"count": emitted})
            except Exception:  # keep supervising; the next pass retries
                log.exception("supervisor pass failed")
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
