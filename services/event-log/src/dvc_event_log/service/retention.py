"""Retention: public history older than the configured days is purged, in batches."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.consumers import Transaction
from dvc_common.jobs import PeriodicJob, RunAgain
from dvc_common.lease import Lease
from dvc_event_log.repository import EventLogRepository
from dvc_event_log.settings import EventLogSettings


async def purge(session: AsyncSession, *, now: datetime, days: int, batch: int, inbox_consumer: str) -> int:
    """One batch; returns how many history events were deleted (`batch` means: more may be left)."""
    repo = EventLogRepository(session)
    before = now - timedelta(days=days)
    deleted = await repo.purge_history(before, batch)
    await repo.purge_inbox(inbox_consumer, before, batch)
    return deleted


def retention_job(
    transaction: Transaction, lease: Lease, settings: EventLogSettings, *, inbox_consumer: str
) -> PeriodicJob:
    """Purge batch after batch (at once while a full batch went), then wait the interval; one replica."""

    async def purge_once() -> RunAgain | None:
        async with transaction() as session:
            deleted = await purge(
                session,
                now=clock.now(),
                days=settings.history_retention_days,
                batch=settings.purge_batch_size,
                inbox_consumer=inbox_consumer,
            )
        return RunAgain() if deleted >= settings.purge_batch_size else None

    return PeriodicJob("event-log-retention", purge_once, every=settings.purge_interval_seconds, lease=lease)
