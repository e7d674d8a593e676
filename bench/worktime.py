"""Benchmark of the working-time engine: deadline computations per second.

Run: ``python bench/worktime.py`` (from the repository root, in the project's virtualenv).
Prints computations per second for 1-working-day, 15-working-day and 1-year (250 working days and
365 calendar days) deadlines, and the cost ratio of a 1-year span to a 1-day span. The engine uses
prefix sums + bisect, so the cost must not grow with the span (target: ≥ 50,000/s, ratio ≤ 3).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dvc_common.worktime import Calendar, Duration, add_duration, appointment, load_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
N = 50_000


def _starts(count: int) -> list[datetime]:
    rng = random.Random(42)
    base = datetime(2024, 1, 1, tzinfo=VN)
    span = (datetime(2028, 12, 31, tzinfo=VN) - base).total_seconds()
    return [base + timedelta(seconds=rng.randrange(int(span))) for _ in range(count)]


def _rate(label: str, fn: Callable[[datetime], object], starts: list[datetime]) -> float:
    fn(starts[0])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for start in starts:
            fn(start)
        best = min(best, time.perf_counter() - t0)
    per_second = len(starts) / best
    print(f"{label:<58} {per_second:>12,.0f} /s  {best / len(starts) * 1e6:7.2f} µs each")
    return per_second


def main() -> None:
    calendar: Calendar = load_calendar()
    starts = _starts(N)
    print(f"calendar {calendar.version}, {N:,} random start instants 2024–2028, best of 3, one core")
    one_day = _rate(
        "add_duration 1 working day", lambda s: add_duration(calendar, s, Duration.working_days(1)), starts
    )
    fifteen = _rate(
        "add_duration 15 working days", lambda s: add_duration(calendar, s, Duration.working_days(15)), starts
    )
    year = _rate(
        "add_duration 250 working days (~1 year)",
        lambda s: add_duration(calendar, s, Duration.working_days(250)),
        starts,
    )
    _rate(
        "add_duration 365 calendar days",
        lambda s: add_duration(calendar, s, Duration.calendar_days(365)),
        starts,
    )
    _rate(
        "appointment 15 working days (receipt + add)",
        lambda s: appointment(calendar, s, Duration.working_days(15)),
        starts,
    )
    _rate(
        "calendar.add_working_time 15 days (raw, no result object)",
        lambda s: calendar.add_working_time(s, timedelta(hours=120)),
        starts,
    )
    _rate(
        "working_time_between over 1 year",
        lambda s: calendar.working_time_between(s, s + timedelta(days=365)),
        starts,
    )
    sample = starts[:2_000]
    _rate(
        "explanation text, 15 working days (rendered on demand)",
        lambda s: add_duration(calendar, s, Duration.working_days(15)).explanation,
        sample,
    )
    _rate(
        "explanation text, 250 working days (rendered on demand)",
        lambda s: add_duration(calendar, s, Duration.working_days(250)).explanation,
        sample,
    )
    print(f"15-working-day deadlines per second: {fifteen:,.0f} (target ≥ 50,000)")
    print(f"cost ratio 1-year span / 1-day span: {one_day / year:.2f} (target ≤ 3)")


if __name__ == "__main__":
    main()
