"""How a process follows the system clock its owner (identity) keeps.

Two paths, both ending in `Clock.apply`, which keeps only the newest version:
- push: identity publishes `clock.changed.v1` on `dvc.internal` through its outbox; every replica of
  every service hears it on its own exclusive, auto-delete queue (`ServiceRuntime` subscribes), so a
  change reaches the whole stack within a second, and a competing queue would reach only one replica;
- pull: at start, and again every `resync_seconds`, the follower reads identity's
  `GET /api/v1/clock/setting`, so a replica started later, or one that missed an event during a
  broker outage, agrees with the others. Identity serves it from memory; the setting is no secret.

Why not a shared table: services own their databases, and a row read by every service would be a
cross-service read; why not only polling: every process would ask every half second forever.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from dvc_common.clock import CLOCK_CHANGED, SYSTEM_CLOCK, Clock, ClockSetting
from dvc_common.events import CloudEvent
from dvc_common.jobs import PeriodicJob

log = logging.getLogger(__name__)

SETTING_PATH = "/api/v1/clock/setting"


def setting_from_event(body: bytes | str) -> ClockSetting | None:
    """The setting a `clock.changed.v1` CloudEvent carries; None for anything else."""
    event = CloudEvent.model_validate_json(body)
    if event.type != CLOCK_CHANGED.ce_type:
        return None
    return CLOCK_CHANGED.parse(event.data)


class ClockFollower:
    """Keeps `clock` at the owner's setting: `refresh()` reads it, `received()` takes a pushed event."""

    def __init__(
        self,
        url: str,
        clock: Clock = SYSTEM_CLOCK,
        *,
        resync_seconds: float = 30.0,
        timeout: float = 5.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self._timeout = timeout
        self._http = http
        self.job = PeriodicJob(
            "clock-follower", self._pass, every=resync_seconds, retry_base=0.5, retry_cap=2
        )

    async def refresh(self) -> bool:
        """Read the owner's setting and apply it; True when the clock changed."""
        setting = ClockSetting.model_validate(await self._get())
        changed = self.clock.apply(setting)
        self.clock.synchronised = True
        return changed

    def received(self, body: bytes | str) -> bool:
        setting = setting_from_event(body)
        return setting is not None and self.clock.apply(setting)

    async def ready(self) -> None:
        """Readiness: this replica has read the setting once (it could otherwise run on the wrong time)."""
        if not self.clock.synchronised:
            raise RuntimeError("system clock not yet read from its owner")

    async def _pass(self) -> None:
        await self.refresh()

    async def _get(self) -> dict[str, Any]:
        if self._http is not None:
            response = await self._http.get(self.url, timeout=self._timeout)
        else:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(self.url)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def start(self) -> None:
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()
