"""The deadline supervisor: a periodic job that runs on one replica at a time (the shared lease on
`workflow_lease`) and emits due-soon / overdue events. Like a subscriber, it is a boundary: it opens
the transaction and calls one use-case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock as system_clock
from dvc_common.jobs import PeriodicJob
from dvc_common.lease import Lease
from dvc_workflow.service.context import Context
from dvc_workflow.service.supervision import supervise

log = logging.getLogger(__name__)

LEASE_TABLE = "workflow_lease"
LEASE = "workflow.supervisor"


def deadline_supervisor(
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    ctx: Context,
    *,
    every: float,
    lease_seconds: float,
    holder: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> PeriodicJob:
    """The job; `run_once()` is one pass (raises `NotLeader` when another replica holds the lease)."""
    lease = Lease(transaction, table=LEASE_TABLE, name=LEASE, ttl_seconds=lease_seconds, holder=holder)
    now = clock or system_clock.now

    async def one_pass() -> None:
        async with transaction() as session:
            emitted = await supervise(session, ctx, now())
        if emitted:
            log.info("deadline events emitted", extra={"count": emitted})

    return PeriodicJob("workflow-supervisor", one_pass, every=every, lease=lease)
