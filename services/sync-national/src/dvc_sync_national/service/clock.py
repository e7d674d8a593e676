"""The one clock of sync-national's use-cases."""

from __future__ import annotations

from datetime import datetime

from dvc_common import clock


def now() -> datetime:
    return clock.now()
