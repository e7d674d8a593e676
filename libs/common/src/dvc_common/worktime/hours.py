"""Office hours of a province: working periods per weekday, receipt cut-off and time zone."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from .errors import CalendarDataError

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

_US_PER_SECOND = 1_000_000


def time_to_us(value: time) -> int:
    """Microseconds since midnight for a wall-clock time."""
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _US_PER_SECOND + value.microsecond


def parse_hhmm(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError) as exc:
        raise CalendarDataError(f"Giờ không hợp lệ: {text!r} (định dạng HH:MM)") from exc


@dataclass(frozen=True, slots=True)
class Period:
    """One working period of a day, ``[start, end)`` in local wall-clock time."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise CalendarDataError(f"Khoảng giờ làm việc không hợp lệ: {self.start:%H:%M}–{self.end:%H:%M}")

    @property
    def span_us(self) -> tuple[int, int]:
        return time_to_us(self.start), time_to_us(self.end)


DayPeriods = tuple[Period, ...]

_MORNING = Period(time(7, 0), time(11, 30))
_AFTERNOON = Period(time(13, 30), time(17, 0))
_DEFAULT_DAY: DayPeriods = (_MORNING, _AFTERNOON)


def _check_day(periods: DayPeriods) -> DayPeriods:
    for before, after in itertools.pairwise(periods):
        if before.end > after.start:
            raise CalendarDataError("Các khoảng giờ làm việc trong ngày phải tăng dần và không chồng nhau")
    return periods


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Working hours profile of a province.

    ``weekly`` has seven entries, Monday first; an empty entry is a weekly day off.
    ``extra_working_day`` gives the hours of a swapped working day (e.g. a Saturday that an official
    decision turns into a working day). ``receipt_cutoff`` is the Điện Biên Điều 13.1 rule: a dossier
    received after it counts from the next working day (``None`` disables it).
    """

    weekly: tuple[DayPeriods, ...] = (_DEFAULT_DAY,) * 5 + ((), ())
    extra_working_day: DayPeriods = _DEFAULT_DAY
    receipt_cutoff: time | None = time(15, 0)
    hours_per_working_day: int = 8
    zone: str = DEFAULT_ZONE
    profile_id: str = "default"
    label: str = field(default="Giờ hành chính mặc định", compare=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarDataError("Giờ làm việc phải khai báo đủ 7 ngày trong tuần")
        for day in (*self.weekly, self.extra_working_day):
            _check_day(day)
        if self.hours_per_working_day <= 0:
            raise CalendarDataError("Số giờ của một ngày làm việc phải lớn hơn 0")
        if not any(self.weekly):
            raise CalendarDataError("Phải có ít nhất một ngày làm việc trong tuần")

    def periods_for_weekday(self, weekday: int) -> DayPeriods:
        return self.weekly[weekday]

    def canonical(self) -> dict[str, Any]:
        """A JSON-ready description, used for the calendar's content hash."""

        def day(periods: DayPeriods) -> list[list[str]]:
            return [[f"{p.start:%H:%M:%S}", f"{p.end:%H:%M:%S}"] for p in periods]

        return {
            "profile_id": self.profile_id,
            "zone": self.zone,
            "receipt_cutoff": None if self.receipt_cutoff is None else f"{self.receipt_cutoff:%H:%M:%S}",
            "hours_per_working_day": self.hours_per_working_day,
            "weekly": {key: day(periods) for key, periods in zip(WEEKDAY_KEYS, self.weekly, strict=True)},
            "extra_working_day": day(self.extra_working_day),
        }

    @classmethod
    def from_mapping(cls, profile_id: str, data: Mapping[str, Any]) -> OfficeHours:
        """Build from a province entry of ``data/provinces.json`` (already merged with its base)."""

        def day(raw: Sequence[Sequence[str]]) -> DayPeriods:
            return tuple(Period(parse_hhmm(a), parse_hhmm(b)) for a, b in raw)

        default = cls()
        weekly_raw = data.get("weekly")
        weekly = (
            default.weekly
            if weekly_raw is None
            else tuple(day(weekly_raw.get(key, [])) for key in WEEKDAY_KEYS)
        )
        extra_raw = data.get("extra_working_day")
        cutoff_raw = data.get("receipt_cutoff", "15:00")
        return cls(
            weekly=weekly,
            extra_working_day=default.extra_working_day if extra_raw is None else day(extra_raw),
            receipt_cutoff=None if cutoff_raw is None else parse_hhmm(cutoff_raw),
            hours_per_working_day=int(data.get("hours_per_working_day", 8)),
            zone=str(data.get("zone", DEFAULT_ZONE)),
            profile_id=profile_id,
            label=str(data.get("label", profile_id)),
        )
