"""Answer deadlines: one replica at a time (a database lease) announces due-soon and overdue questions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import QUESTION_DUE_SOON, QUESTION_OVERDUE, QuestionDeadline
from dvc_common.lease import Lease
from dvc_qa.repository import QaRepository
from dvc_qa.service.context import QaContext

log = logging.getLogger(__name__)


async def announce_deadlines(session: AsyncSession, ctx: QaContext, *, now: datetime, limit: int) -> int:
    """Emit due_soon and overdue once per question (the flags change in the same transaction)."""
    repo = QaRepository(session)
    sent = 0
    for overdue in (False, True):
        for question in await repo.deadline_due(now, overdue=overdue, limit=limit):
            payload = QuestionDeadline(
                question_id=str(question.id),
                agency_id=question.agency_id,
                status=question.status,
                due_at=question.due_at,
            )
            if overdue:
                question.overdue_sent = True
                question.due_soon_sent = True  # past due: "soon" no longer says anything
            else:
                question.due_soon_sent = True
            await repo.flush()
            await ctx.outbox.add(
                session, QUESTION_OVERDUE if overdue else QUESTION_DUE_SOON, payload, subject=str(question.id)
            )
            sent += 1
    return sent


class DeadlineScheduler:
    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        ctx: QaContext,
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
                sent = await announce_deadlines(
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
