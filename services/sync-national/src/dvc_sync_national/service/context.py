"""What sync-national's operator use-cases work with besides their transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dvc_sync_national.portal import PortalClient


@dataclass(frozen=True)
class SyncContext:
    portal: PortalClient
    tz: ZoneInfo
    wake_dispatcher: Callable[[], None]  # a resend was queued: the dispatcher looks at once
