"""The background jobs of a sync-national replica (`dvc_common.jobs`): the dispatcher that drains the
change log to the portal, and the poller of dossiers submitted on the national portal.

Replicas run side by side: the dispatcher runs on every replica and claims dossiers with
`FOR UPDATE SKIP LOCKED` (one replica per dossier at a time); the poller runs on the replica holding
the `sync-national.inbound` lease.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from dvc_common.db import UnitOfWork
from dvc_common.jobs import PeriodicJob, RunAgain, backoff
from dvc_common.lease import Lease
from dvc_common.outbox import Outbox
from dvc_sync_national.portal import PortalClient, PortalUnavailable
from dvc_sync_national.service import dispatcher, national_submissions
from dvc_sync_national.settings import SyncNationalSettings

log = logging.getLogger(__name__)


class Dispatch:
    """One pass of the dispatcher job. While the portal is down the passes back off (over the
    consecutive rounds it did not serve); once it is back, dossiers that backed off only for the
    outage are due at once."""

    def __init__(self, uow: UnitOfWork, portal: PortalClient, settings: SyncNationalSettings) -> None:
        self._uow = uow
        self._portal = portal
        self._settings = settings
        self._tz = ZoneInfo(settings.timezone)
        self._backoff = dispatcher.Backoff(settings.retry_base_seconds, settings.retry_max_seconds)
        self._outage = 0  # consecutive rounds the portal was unavailable

    async def round(self) -> dispatcher.Round:
        async with self._uow() as session:
            return await dispatcher.sync_due(
                session,
                self._portal,
                self._tz,
                limit=self._settings.dispatch_dossiers,
                per_dossier=self._settings.dispatch_per_dossier,
                batch=self._settings.dispatch_batch,
                retry=self._backoff,
            )

    async def __call__(self) -> RunAgain | None:
        result = await self.round()
        if result.unavailable:
            self._outage += 1
            return RunAgain(
                after=backoff(self._outage, self._backoff.base_seconds, self._backoff.max_seconds)
            )
        if self._outage and result.synced:
            async with self._uow() as session:
                woken = await dispatcher.wake_after_outage(session)
            log.info("national portal is back; backlog resumes", extra={"dossiers": woken})
            self._outage = 0
        return RunAgain() if result.claimed else None  # work left: at once; else the idle wait


def dispatcher_job(uow: UnitOfWork, portal: PortalClient, settings: SyncNationalSettings) -> PeriodicJob:
    # A failed round (not an outage: the database, a bug) is retried after a second, as ever.
    return PeriodicJob(
        "sync-national-dispatch",
        Dispatch(uow, portal, settings),
        every=settings.dispatch_idle_seconds,
        retry_base=1.0,
        retry_cap=1.0,
    )


def inbound_job(
    uow: UnitOfWork, outbox: Outbox, portal: PortalClient, settings: SyncNationalSettings
) -> PeriodicJob:
    """Fetch national submissions every `inbound_poll_seconds`, on one replica at a time."""

    async def fetch() -> None:
        try:
            async with uow() as session:
                await national_submissions.fetch_inbound(session, outbox, portal)
        except PortalUnavailable as exc:
            log.info("national portal unavailable for inbound dossiers", extra={"error": str(exc)})

    every = settings.inbound_poll_seconds
    lease = Lease(
        uow, table="sync_lease", name="sync-national.inbound", ttl_seconds=settings.inbound_lease_seconds
    )
    return PeriodicJob(
        "sync-national-inbound", fetch, every=every, lease=lease, retry_base=every, retry_cap=every
    )
