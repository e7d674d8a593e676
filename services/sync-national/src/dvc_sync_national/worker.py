"""Background loops of a sync-national replica: the dispatcher that drains the change log to the
portal, and the poller of dossiers submitted on the national portal.

Replicas may run side by side: the dispatcher claims dossiers with `FOR UPDATE SKIP LOCKED` (one
replica per dossier at a time), the poller holds a transaction-scoped advisory lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from zoneinfo import ZoneInfo

from dvc_common.runtime import ServiceRuntime
from dvc_sync_national.portal import PortalClient, PortalUnavailable
from dvc_sync_national.service import dispatcher, national_submissions
from dvc_sync_national.settings import SyncNationalSettings

log = logging.getLogger(__name__)


class SyncWorker:
    def __init__(self, runtime: ServiceRuntime, portal: PortalClient, settings: SyncNationalSettings) -> None:
        self._runtime = runtime
        self._portal = portal
        self._settings = settings
        self._tz = ZoneInfo(settings.timezone)
        self._backoff = dispatcher.Backoff(settings.retry_base_seconds, settings.retry_max_seconds)
        self._stop = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._stop.clear()
        self._tasks = [asyncio.create_task(self._dispatch_loop(), name="sync-national-dispatch")]
        if self._settings.inbound_poll_seconds > 0:
            self._tasks.append(asyncio.create_task(self._inbound_loop(), name="sync-national-inbound"))

    async def stop(self) -> None:
        self._stop.set()
        self._wakeup.set()
        for task in self._tasks:
            await task
        self._tasks = []

    def notify(self) -> None:
        self._wakeup.set()

    async def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=seconds)

    async def dispatch_once(self) -> dispatcher.Round:
        async with self._runtime.transaction() as session:
            return await dispatcher.sync_due(
                session,
                self._portal,
                self._tz,
                limit=self._settings.dispatch_dossiers,
                per_dossier=self._settings.dispatch_per_dossier,
                batch=self._settings.dispatch_batch,
                backoff=self._backoff,
            )

    async def _dispatch_loop(self) -> None:
        outage = 0  # consecutive rounds the portal was unavailable
        while not self._stop.is_set():
            delay = self._settings.dispatch_idle_seconds
            try:
                result = await self.dispatch_once()
                if result.unavailable:
                    outage += 1
                    delay = self._backoff.delay(outage).total_seconds()
                else:
                    if outage and result.synced:
                        async with self._runtime.transaction() as session:
                            woken = await dispatcher.wake_after_outage(session)
                        log.info("national portal is back; backlog resumes", extra={"dossiers": woken})
                        outage = 0
                    if result.claimed:
                        delay = 0
            except Exception:
                log.exception("national portal dispatcher round failed; retrying")
                delay = 1.0
            await self._sleep(delay)

    async def _inbound_loop(self) -> None:
        while not self._stop.is_set():
            try:
                async with self._runtime.transaction() as session:
                    await national_submissions.fetch_inbound(session, self._runtime.outbox, self._portal)
            except PortalUnavailable as exc:
                log.info("national portal unavailable for inbound dossiers", extra={"error": str(exc)})
            except Exception:
                log.exception("fetching national dossiers failed; retrying")
            await self._sleep(self._settings.inbound_poll_seconds)
