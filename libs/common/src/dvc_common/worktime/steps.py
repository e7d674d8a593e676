"""Internal process step budgets: green while within the step's budget, red once over (Điều 13.7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .calendar import Calendar
from .deadlines import add_duration
from .durations import Duration
from .explain import fmt_instant, fmt_working_duration
from .result import Computed


class StepColor(StrEnum):
    GREEN = "green"
    RED = "red"


@dataclass(frozen=True, slots=True)
class StepRecord:
    """When a step started, and ended (``None`` while it is still open)."""

    step: str
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StepCheck:
    step: str
    color: StepColor
    due: Computed
    used: timedelta
    """Working time spent on the step (up to its end, or up to ``now`` while open)."""
    over_by: timedelta
    """Working time beyond the budget (zero when green)."""
    remaining: timedelta
    """Working time left in the budget (zero when red)."""
    explanation: str


def check_step(
    calendar: Calendar,
    step: str,
    budget: Duration,
    started_at: datetime,
    ended_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> StepCheck:
    """Compare a step's working time with its budget; an open step is measured at ``now``."""
    until = ended_at if ended_at is not None else now
    if until is None:
        raise ValueError("Bước đang mở: cần thời điểm hiện tại (now) để đánh giá")
    until = calendar.local(until)
    due = add_duration(calendar, started_at, budget, label="hạn của bước")
    used = max(calendar.working_time_between(started_at, until), timedelta(0))
    hours = calendar.hours.hours_per_working_day
    if until <= due.instant:
        color = StepColor.GREEN
        over_by = timedelta(0)
        remaining = calendar.working_time_between(until, due.instant)
        tail = f"trong hạn, còn {fmt_working_duration(remaining, hours)}"
    else:
        color = StepColor.RED
        over_by = calendar.working_time_between(due.instant, until)
        remaining = timedelta(0)
        tail = f"vượt {fmt_working_duration(over_by, hours)}"
    verb = "kết thúc" if ended_at is not None else "tính đến"
    text = (
        f"Bước {step}: định mức {budget.describe_vi()}, hạn {fmt_instant(due.instant)}, "
        f"{verb} {fmt_instant(until)}, đã dùng {fmt_working_duration(used, hours)}: {tail}"
    )
    return StepCheck(step, color, due, used, over_by, remaining, text)


def check_steps(
    calendar: Calendar,
    budgets: Mapping[str, Duration],
    records: Sequence[StepRecord],
    *,
    now: datetime | None = None,
) -> tuple[StepCheck, ...]:
    """Check every recorded step against its budget (steps without a budget raise ``KeyError``)."""
    return tuple(
        check_step(calendar, r.step, budgets[r.step], r.started_at, r.ended_at, now=now) for r in records
    )
