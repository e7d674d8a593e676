"""Internal step budgets: green within budget, red beyond it (Điện Biên Điều 13.7)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dvc_common.worktime import Duration, StepColor, StepRecord, check_step, check_steps, load_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = load_calendar()
H = timedelta(hours=1)


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


def test_step_within_budget_is_green() -> None:
    check = check_step(CAL, "thẩm định", Duration.working_hours(4), vn(2026, 3, 2, 9), vn(2026, 3, 2, 14))
    assert check.color is StepColor.GREEN
    assert check.used == 3 * H and check.remaining == 1 * H and check.over_by == timedelta(0)
    assert check.due.instant == vn(2026, 3, 2, 15)
    assert "trong hạn" in check.explanation


def test_step_over_budget_is_red_by_how_much() -> None:
    check = check_step(CAL, "thẩm định", Duration.working_hours(4), vn(2026, 3, 2, 9), vn(2026, 3, 2, 16))
    assert check.color is StepColor.RED
    assert check.over_by == 1 * H and check.remaining == timedelta(0)
    assert "vượt 1 giờ làm việc" in check.explanation


def test_open_step_is_measured_now_and_skips_holidays() -> None:
    check = check_step(
        CAL, "phê duyệt", Duration.working_days(1), vn(2026, 2, 13, 15), now=vn(2026, 2, 23, 9)
    )
    assert check.used == 4 * H  # Fri 15:00–17:00 and Mon 07:00–09:00
    assert check.color is StepColor.GREEN
    with pytest.raises(ValueError):
        check_step(CAL, "x", Duration.working_days(1), vn(2026, 2, 13, 15))


def test_check_steps() -> None:
    budgets = {"tiếp nhận": Duration.working_hours(2), "thẩm định": Duration.working_days(2)}
    records = [
        StepRecord("tiếp nhận", vn(2026, 3, 2, 9), vn(2026, 3, 2, 13, 45)),  # 2.5h + 0.25h
        StepRecord("thẩm định", vn(2026, 3, 2, 13, 45)),
    ]
    checks = check_steps(CAL, budgets, records, now=vn(2026, 3, 3, 9))
    assert [c.color for c in checks] == [StepColor.RED, StepColor.GREEN]
    assert checks[0].over_by == timedelta(minutes=45)
