"""Điều 25 khoản 2: 2 working days, 5 when agencies coordinate; across a weekend and a holiday."""

from __future__ import annotations

from datetime import datetime

import pytest

from dvc_common.worktime import load_calendar
from dvc_qa.domain.deadlines import answer_deadline

CAL = load_calendar("lai-chau")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+07:00")


@pytest.mark.parametrize(
    ("asked", "coordination", "due", "soon"),
    [
        # Thursday morning: Friday, then (weekend) Monday.
        ("2026-03-05T09:00", False, "2026-03-09T09:00", "2026-03-06T15:00"),
        # Friday afternoon: the weekend does not count.
        ("2026-03-06T14:00", False, "2026-03-10T14:00", "2026-03-10T08:00"),
        # Friday before Giỗ Tổ Hùng Vương (Sun 26/4, Mon 27/4 nghỉ bù) and the weekend.
        ("2026-04-24T09:00", False, "2026-04-29T09:00", "2026-04-28T15:00"),
        # Saturday: counts from Monday 07:00; 16 working hours are used up at 17:00 on Tuesday.
        ("2026-03-07T10:00", False, "2026-03-10T17:00", "2026-03-10T11:00"),
        # Five working days across 30/4–1/5 and a weekend.
        ("2026-04-29T09:00", True, "2026-05-08T09:00", "2026-05-07T15:00"),
        # Five working days across Giỗ Tổ: 28, 29, (30/4, 1/5, weekend), 4, 5, 6.
        ("2026-04-24T09:00", True, "2026-05-06T09:00", "2026-05-05T15:00"),
    ],
)
def test_answer_deadline(asked: str, coordination: bool, due: str, soon: str) -> None:
    deadline = answer_deadline(CAL, at(asked), needs_coordination=coordination, due_soon_working_hours=4)
    assert deadline.due.instant == at(due)
    assert deadline.due_soon_at == at(soon)
    assert deadline.due.rule == ("qa.coordination" if coordination else "qa.simple")


def test_the_deadline_explains_itself_in_vietnamese() -> None:
    deadline = answer_deadline(
        CAL, at("2026-04-24T09:00"), needs_coordination=False, due_soon_working_hours=4
    )
    assert "cộng 2 ngày làm việc" in deadline.due.explanation
    assert "Giỗ Tổ Hùng Vương" in deadline.due.explanation
