"""Answer deadlines: one replica at a time (a database lease) announces due-soon and overdue questions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import QUESTION_DUE_SOON, QUESTION_OVERDUE, QuestionDeadline
from dvc_common.jobs import LeaseUnavailable, PeriodicJob, run_exclusively
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
    """Announces due-soon and overdue questions, on the replica holding the lease: `job` runs a pass
    every `interval_seconds` (a dvc_common.jobs.PeriodicJob); `run_once` is one pass at a given instant."""

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
        self._batch = batch_size
        # A failed pass is tried again after the interval, like any other.
        self.job = PeriodicJob(
            "qa-deadlines",
            self._scheduled_pass,
            every=interval_seconds,
            lease=lease,
            retry_cap=interval_seconds,
        )

    async def run_once(self, now: datetime | None = None) -> int:
        """One pass if this replica holds the lease (else 0); how many events were emitted."""
        try:
            return await run_exclusively(self._lease, lambda: self._announce(now or clock.now()))
        except LeaseUnavailable:
            return 0

    async def _scheduled_pass(self) -> None:
        sent = await self._announce(clock.now())
        if sent:
            log.info("deadline events emitted", extra={"count": sent})

    async def _announce(self, now: datetime) -> int:
        """Every question due at `now`, in batches of one transaction each."""
        total = 0
        while True:
            async with self._transaction() as session:
                sent = await announce_deadlines(session, self._ctx, now=now, limit=self._batch)
            total += sent
            if sent < self._batch:
                return total
