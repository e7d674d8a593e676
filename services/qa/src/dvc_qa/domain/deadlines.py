"""Answer deadlines (Lai Châu Điều 25 khoản 2): 2 working days, 5 when agencies must coordinate.

Computed by the working-time engine and stored as instants with the rule that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dvc_common.worktime import (
    QA_COORDINATION_DURATION,
    QA_DURATION,
    Calendar,
    Computed,
    Duration,
    add_duration,
    qa_deadline,
)


@dataclass(frozen=True)
class AnswerDeadline:
    due: Computed
    due_soon_at: datetime


def answer_deadline(
    calendar: Calendar, asked_at: datetime, *, needs_coordination: bool, due_soon_working_hours: int
) -> AnswerDeadline:
    """The deadline, and the instant `due_soon_working_hours` of working time before it."""
    due = qa_deadline(calendar, asked_at, needs_coordination=needs_coordination)
    duration = QA_COORDINATION_DURATION if needs_coordination else QA_DURATION
    total_hours = duration.amount * calendar.hours.hours_per_working_day
    start = calendar.next_working_instant(calendar.local(asked_at))
    lead = max(total_hours - due_soon_working_hours, 0)
    soon = add_duration(calendar, start, Duration.working_hours(lead), label="sắp đến hạn").instant
    return AnswerDeadline(due, soon)
