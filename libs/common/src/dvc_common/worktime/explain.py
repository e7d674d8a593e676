"""Vietnamese wording of instants, durations and the reasons behind computed deadlines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calendar import Calendar

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def fmt_date(day: date) -> str:
    """``Thứ Hai 23/02/2026``."""
    return f"{WEEKDAYS_VI[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year}"


def fmt_clock(instant: datetime) -> str:
    text = f"{instant.hour:02d}:{instant.minute:02d}"
    if instant.second or instant.microsecond:
        text += f":{instant.second:02d}"
    return text


def fmt_instant(instant: datetime) -> str:
    """``07:00 Thứ Hai 23/02/2026`` (in the instant's own zone)."""
    return f"{fmt_clock(instant)} {fmt_date(instant.date())}"


def fmt_range(first: date, last: date) -> str:
    """``16–20/02/2026``, ``30/04–01/05/2026``, ``31/12/2025–02/01/2026`` or ``01/01/2026``."""
    if first == last:
        return f"{first:%d/%m/%Y}"
    if first.year != last.year:
        return f"{first:%d/%m/%Y}–{last:%d/%m/%Y}"
    if first.month != last.month:
        return f"{first:%d/%m}–{last:%d/%m/%Y}"
    return f"{first:%d}–{last:%d/%m/%Y}"


def fmt_working_duration(amount: timedelta, hours_per_working_day: int = 8) -> str:
    """``2 ngày 3 giờ 15 phút làm việc`` (a day being ``hours_per_working_day`` working hours)."""
    sign = "âm " if amount < timedelta(0) else ""
    total_minutes = int(abs(amount) // timedelta(minutes=1))
    days, rest = divmod(total_minutes, hours_per_working_day * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} ngày"] if days else []
    if hours:
        parts.append(f"{hours} giờ")
    if minutes or not parts:
        parts.append(f"{minutes} phút")
    return f"{sign}{' '.join(parts)} làm việc"


@dataclass(frozen=True, slots=True)
class Note:
    """One sentence of an explanation, rendered lazily (computations stay cheap)."""

    render: Callable[..., str]
    args: tuple[Any, ...] = ()

    def text(self) -> str:
        return self.render(*self.args)

    @classmethod
    def plain(cls, text: str) -> Note:
        return cls(str, (text,))


def _skipped_days(calendar: Calendar, first: date, last: date) -> str:
    runs: list[tuple[date, date, list[str]]] = []
    for day_off in calendar.days_off_between(first, last):
        if runs and calendar.working_day_on_or_after(runs[-1][1] + timedelta(days=1)) > day_off.day:
            start, _, groups = runs[-1]
            if day_off.group not in groups:
                groups.append(day_off.group)
            runs[-1] = (start, day_off.day, groups)
        else:
            runs.append((day_off.day, day_off.day, [day_off.group]))
    parts = [f"bỏ qua nghỉ {', '.join(groups)} {fmt_range(a, b)}" for a, b, groups in runs]
    for swapped in calendar.swapped_days_between(first, last):
        parts.append(f"tính cả ngày làm việc bù {fmt_date(swapped.day)} ({swapped.source})")
    return "; ".join(parts)


def skipped_days_note(calendar: Calendar, first: date, last: date) -> Note:
    """Holidays skipped and swapped working days counted between two dates (inclusive)."""
    return Note(_skipped_days, (calendar, first, last))
