"""Legal durations: an amount in one of the legal units, with the calendar-day ending rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Unit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class CalendarDayEnd(StrEnum):
    """How a duration in calendar days ends; chosen per procedure, because the laws differ.

    * ``EXACT``: the same wall-clock time ``n`` days later, even if that is a day off.
    * ``NEXT_WORKING_TIME`` (default): the same wall-clock time ``n`` days later; if that day is a
      day off the deadline moves to the same time on the next working day, and if that time is
      outside office hours, to the start of the next working period.
    * ``END_OF_DAY``: the end of office hours of day ``n`` (the day of receipt is not counted); a
      day off moves it to the end of the next working day (Bộ luật Dân sự 2015, Điều 147–148).
    """

    EXACT = "exact"
    NEXT_WORKING_TIME = "next_working_time"
    END_OF_DAY = "end_of_day"


@dataclass(frozen=True, slots=True)
class Duration:
    """A legal processing time such as "5 ngày làm việc" or "30 ngày".

    One working day is ``hours_per_working_day`` working hours of the calendar (8 by law).
    """

    amount: int
    unit: Unit
    calendar_end: CalendarDayEnd = CalendarDayEnd.NEXT_WORKING_TIME

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("Thời hạn phải không âm")

    @classmethod
    def working_hours(cls, amount: int) -> Duration:
        return cls(amount, Unit.WORKING_HOURS)

    @classmethod
    def working_days(cls, amount: int) -> Duration:
        return cls(amount, Unit.WORKING_DAYS)

    @classmethod
    def calendar_days(cls, amount: int, end: CalendarDayEnd = CalendarDayEnd.NEXT_WORKING_TIME) -> Duration:
        return cls(amount, Unit.CALENDAR_DAYS, end)

    @property
    def is_working_time(self) -> bool:
        return self.unit is not Unit.CALENDAR_DAYS

    def working_time(self, hours_per_working_day: int = 8) -> timedelta:
        """The amount of working time for the working units."""
        if self.unit is Unit.WORKING_HOURS:
            return timedelta(hours=self.amount)
        if self.unit is Unit.WORKING_DAYS:
            return timedelta(hours=self.amount * hours_per_working_day)
        raise ValueError("Thời hạn tính theo ngày lịch không quy đổi được ra giờ làm việc")

    def describe_vi(self) -> str:
        if self.unit is Unit.WORKING_HOURS:
            return f"{self.amount} giờ làm việc"
        if self.unit is Unit.WORKING_DAYS:
            return f"{self.amount} ngày làm việc"
        return f"{self.amount} ngày theo lịch"
