"""Waiting for the applicant's financial obligation (status 6) pauses the clock and moves the
appointment by the working time waited (Điện Biên Điều 13.5)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dvc_common.worktime import (
    ClockState,
    ClockStateError,
    DossierClock,
    Duration,
    Outcome,
    Timeliness,
    event_from_record,
    event_to_record,
    load_calendar,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = load_calendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


def test_the_wait_for_the_fee_moves_the_appointment_and_is_not_used_time() -> None:
    clock = DossierClock.start(CAL, vn(2026, 3, 2, 8), Duration.working_days(2))  # Mon 08:00
    assert clock.deadline.instant == vn(2026, 3, 4, 8)
    waiting = clock.await_obligation(vn(2026, 3, 2, 10))
    assert waiting.state is ClockState.PAUSED and waiting.awaiting_obligation
    assert "nghĩa vụ tài chính" in waiting.status(vn(2026, 3, 6, 9)).explanation
    with pytest.raises(ClockStateError):
        waiting.resubmit(vn(2026, 3, 3, 8))  # not a supplement
    paid = waiting.obligation_met(vn(2026, 3, 5, 10))  # three working days later
    assert paid.state is ClockState.RUNNING
    assert paid.deadline.instant == vn(2026, 3, 9, 8)  # moved by 3 working days
    assert "lùi tương ứng" in paid.deadline.explanation
    assert paid.time_used(vn(2026, 3, 5, 10)) == timedelta(hours=2)
    done = paid.stop(vn(2026, 3, 6, 9))
    assert done.classify().legal is Timeliness.EARLY
    replayed = DossierClock.replay(CAL, [event_from_record(event_to_record(e)) for e in done.events])
    assert replayed.deadline.instant == done.deadline.instant


def test_withdrawn_while_waiting_is_frozen_at_the_pause() -> None:
    clock = DossierClock.start(CAL, vn(2026, 3, 2, 8), Duration.working_days(1)).await_obligation(
        vn(2026, 3, 2, 9)
    )
    stopped = clock.stop(vn(2026, 3, 20, 9), Outcome.WITHDRAWN)
    assert stopped.state is ClockState.STOPPED and stopped.stopped is not None
    assert stopped.stopped.at == vn(2026, 3, 2, 9)
