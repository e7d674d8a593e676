"""What Q&A's use-cases need besides the session: the outbox, the working-time calendar, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dvc_common import clock
from dvc_common.outbox import Outbox
from dvc_common.worktime import Calendar


def now_utc() -> datetime:
    return clock.now()


@dataclass(frozen=True)
class QaContext:
    """What the use-cases need besides the session: the outbox, the working-time calendar, the clock."""

    outbox: Outbox
    calendar: Calendar
    due_soon_working_hours: int = 4
    now: Callable[[], datetime] = now_utc
