"""The working calendar: which instants are working time, and O(log n) arithmetic over it.

Working time is modelled as a single timeline: every working day contributes its office periods,
and a *position* is the number of working microseconds since the calendar's first day. Converting an
instant to a position and back uses ``bisect`` over precomputed arrays (working-day ordinals and
prefix sums of working microseconds), so adding a year costs the same as adding an hour.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .days_off import DayOff, Decision, SwappedWorkingDay
from .errors import CalendarDataError, CalendarRangeError
from .hours import OfficeHours, time_to_us

_US = 1_000_000
_DAY_US = 86_400 * _US

Span = tuple[int, int]


class Calendar:
    """An immutable working calendar for one province profile and a range of years.

    Build one with :func:`dvc_common.worktime.load_calendar` (shipped data) or directly from
    office hours, generated days off and decisions. ``version`` identifies the exact content (office
    hours, days off, swapped days, decisions) and is carried by every computed result.
    """

    __slots__ = (
        "_cum",
        "_decisions",
        "_extra",
        "_extra_ords",
        "_first_ord",
        "_first_year",
        "_generated",
        "_hours",
        "_last_ord",
        "_last_year",
        "_midnights",
        "_off",
        "_off_ords",
        "_ords",
        "_spans",
        "_version",
        "_zone",
    )

    def __init__(
        self,
        hours: OfficeHours,
        first_year: int,
        last_year: int,
        days_off: Iterable[DayOff],
        decisions: Sequence[Decision] = (),
    ) -> None:
        if first_year > last_year:
            raise CalendarDataError("Năm bắt đầu của lịch phải không sau năm kết thúc")
        self._hours = hours
        self._zone = ZoneInfo(hours.zone)
        self._first_year = first_year
        self._last_year = last_year
        self._generated = tuple(sorted(days_off, key=lambda d: d.day))
        self._decisions = tuple(decisions)
        ids = [d.id for d in self._decisions]
        if len(set(ids)) != len(ids):
            raise CalendarDataError("Một quyết định được nạp hai lần vào cùng một lịch")

        off: dict[date, DayOff] = {d.day: d for d in self._generated}
        extra: dict[date, SwappedWorkingDay] = {}
        for decision in self._decisions:  # later decisions override earlier data
            for day_off in decision.days_off:
                off[day_off.day] = day_off
                extra.pop(day_off.day, None)
            for worked in decision.working_days:
                extra[worked.day] = worked
                off.pop(worked.day, None)

        first = date(first_year, 1, 1)
        last = date(last_year, 12, 31)
        for day in (*off, *extra):
            if not first <= day <= last:
                raise CalendarDataError(
                    f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi lịch {first_year}–{last_year}"
                )
        self._first_ord = first.toordinal()
        self._last_ord = last.toordinal()
        self._off = off
        self._off_ords = sorted(d.toordinal() for d in off)
        self._extra = extra
        self._extra_ords = sorted(d.toordinal() for d in extra)

        weekly_spans = [tuple(p.span_us for p in day) for day in hours.weekly]
        extra_spans = tuple(p.span_us for p in hours.extra_working_day)
        ords: list[int] = []
        cum: list[int] = [0]
        spans: list[tuple[Span, ...]] = []
        midnights: list[datetime] = []
        for ordinal in range(self._first_ord, self._last_ord + 1):
            day = date.fromordinal(ordinal)
            day_spans = weekly_spans[day.weekday()]
            if day in extra:
                day_spans = day_spans or extra_spans
            elif day in off:
                day_spans = ()
            if not day_spans:
                continue
            ords.append(ordinal)
            spans.append(day_spans)
            cum.append(cum[-1] + sum(b - a for a, b in day_spans))
            midnights.append(datetime(day.year, day.month, day.day))
        self._ords = ords
        self._cum = cum
        self._spans = spans
        self._midnights = midnights
        self._version = self._compute_version()

    # ------------------------------------------------------------------ identity
    def _compute_version(self) -> str:
        content = {
            "hours": self._hours.canonical(),
            "years": [self.first_year, self.last_year],
            "generated": [[d.day.isoformat(), d.name, d.group] for d in self._generated],
            "decisions": [d.canonical() for d in self._decisions],
        }
        blob = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]
        return f"{self._hours.profile_id}@{digest}"

    @property
    def version(self) -> str:
        """Content-hash version id, e.g. ``default@3fa1c0d2e9b4``."""
        return self._version

    @property
    def first_year(self) -> int:
        return self._first_year

    @property
    def last_year(self) -> int:
        return self._last_year

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Decisions loaded on top of the generated days off, in loading order."""
        return self._decisions

    @property
    def decision_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self._decisions)

    @property
    def hours(self) -> OfficeHours:
        return self._hours

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def with_decision(self, decision: Decision) -> Calendar:
        """A new calendar (new version) with ``decision`` applied on top of this one."""
        if decision.id in self.decision_ids:
            raise CalendarDataError(f"Quyết định {decision.id} đã được nạp vào lịch {self.version}")
        return Calendar(
            self._hours, self.first_year, self.last_year, self._generated, (*self._decisions, decision)
        )

    def __repr__(self) -> str:
        return f"Calendar({self._version!r}, {self.first_year}–{self.last_year}, decisions={self.decision_ids!r})"

    # ------------------------------------------------------------------ days
    def _check_ordinal(self, ordinal: int) -> None:
        if ordinal < self._first_ord or ordinal > self._last_ord:
            year = date.fromordinal(max(1, ordinal)).year
            raise CalendarRangeError(
                f"Lịch làm việc chỉ có dữ liệu từ năm {self.first_year} đến năm {self.last_year}, "
                f"chưa có dữ liệu cho năm {year}"
            )

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        self._check_ordinal(ordinal)
        i = bisect_left(self._ords, ordinal)
        return i < len(self._ords) and self._ords[i] == ordinal

    def day_off(self, day: date) -> DayOff | None:
        """The holiday or decreed day off on ``day``, if any (weekly days off are not listed)."""
        return self._off.get(day)

    def swapped_working_day(self, day: date) -> SwappedWorkingDay | None:
        return self._extra.get(day)

    def days_off_between(self, first: date, last: date) -> tuple[DayOff, ...]:
        """Holidays and decreed days off with ``first <= day <= last``."""
        lo = bisect_left(self._off_ords, first.toordinal())
        hi = bisect_right(self._off_ords, last.toordinal())
        return tuple(self._off[date.fromordinal(o)] for o in self._off_ords[lo:hi])

    def swapped_days_between(self, first: date, last: date) -> tuple[SwappedWorkingDay, ...]:
        lo = bisect_left(self._extra_ords, first.toordinal())
        hi = bisect_right(self._extra_ords, last.toordinal())
        return tuple(self._extra[date.fromordinal(o)] for o in self._extra_ords[lo:hi])

    def working_day_on_or_after(self, day: date) -> date:
        ordinal = day.toordinal()
        self._check_ordinal(ordinal)
        i = bisect_left(self._ords, ordinal)
        if i == len(self._ords):
            self._check_ordinal(self._last_ord + 1)
        return date.fromordinal(self._ords[i])

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.working_day_on_or_after(day + timedelta(days=1))

    def working_periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working periods of ``day`` as aware instants (empty on a day off)."""
        ordinal = day.toordinal()
        self._check_ordinal(ordinal)
        i = bisect_left(self._ords, ordinal)
        if i == len(self._ords) or self._ords[i] != ordinal:
            return ()
        return tuple((self._at(i, a), self._at(i, b)) for a, b in self._spans[i])

    def working_duration_of_day(self, day: date) -> timedelta:
        return sum((b - a for a, b in self.working_periods(day)), timedelta())

    # ------------------------------------------------------------------ instants
    def local(self, instant: datetime) -> datetime:
        """``instant`` in the calendar's zone; naive datetimes are refused."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("Cần thời điểm có múi giờ (aware datetime)")
        return instant.astimezone(self._zone)

    def _at(self, i: int, t_us: int) -> datetime:
        return (self._midnights[i] + timedelta(microseconds=t_us)).replace(tzinfo=self._zone)

    def _split(self, instant: datetime) -> tuple[int, int, int]:
        """(working-day index ``i`` of the first working day on/after the date, ordinal, µs of day)."""
        local = self.local(instant)
        ordinal = local.toordinal()
        self._check_ordinal(ordinal)
        t_us = ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond
        return bisect_left(self._ords, ordinal), ordinal, t_us

    def position(self, instant: datetime) -> int:
        """Working microseconds from the calendar's start up to ``instant``."""
        i, ordinal, t_us = self._split(instant)
        if i == len(self._ords) or self._ords[i] != ordinal:
            if i == len(self._ords):
                return self._cum[-1]
            return self._cum[i]
        acc = 0
        for a, b in self._spans[i]:
            if t_us <= a:
                break
            if t_us < b:
                acc += t_us - a
                break
            acc += b - a
        return self._cum[i] + acc

    def instant_at(self, position: int, *, earliest: bool) -> datetime:
        """The instant at a working position.

        A position on a boundary (end of the morning = start of the afternoon) maps to the earliest
        instant (``earliest=True``: 11:30, used for deadlines) or the latest one (``earliest=False``:
        13:30, used for start times).
        """
        cum = self._cum
        if position < 0 or position > cum[-1] or (not earliest and position == cum[-1]):
            raise CalendarRangeError(
                f"Kết quả tính vượt quá phạm vi lịch làm việc ({self.first_year}–{self.last_year})"
            )
        i = max(bisect_left(cum, position) - 1, 0) if earliest else bisect_right(cum, position) - 1
        rest = position - cum[i]
        spans = self._spans[i]
        for a, b in spans:
            length = b - a
            if rest < length or (earliest and rest == length):
                return self._at(i, a + rest)
            rest -= length
        return self._at(i, spans[-1][1])  # pragma: no cover - unreachable by construction

    def is_working_time(self, instant: datetime, *, include_end: bool = False) -> bool:
        """Whether ``instant`` is inside a working period (``[start, end)``, or ``[start, end]``)."""
        i, ordinal, t_us = self._split(instant)
        if i == len(self._ords) or self._ords[i] != ordinal:
            return False
        return any(a <= t_us < b or (include_end and t_us == b) for a, b in self._spans[i])

    def receipt_start(self, instant: datetime, cutoff: time | None) -> tuple[datetime, str]:
        """Where counting starts for a receipt, and why: ``in_hours``, ``cutoff`` or ``outside``.

        In working time and not after ``cutoff`` → the instant itself; in working time after
        ``cutoff`` → opening of the next working day; otherwise → start of the next working period.
        """
        local = self.local(instant)
        ordinal = local.toordinal()
        self._check_ordinal(ordinal)
        t_us = ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond
        i = bisect_left(self._ords, ordinal)
        n = len(self._ords)
        reason = "outside"
        if i < n and self._ords[i] == ordinal:
            for a, b in self._spans[i]:
                if t_us < a:
                    return self._at(i, a), reason
                if t_us < b:
                    if cutoff is None or t_us <= time_to_us(cutoff):
                        return local, "in_hours"
                    reason = "cutoff"
                    break
            i += 1
        if i >= n:
            self._check_ordinal(self._last_ord + 1)
        return self._at(i, self._spans[i][0][0]), reason

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` itself if it is working time, else the start of the next working period."""
        return self.instant_at(self.position(instant), earliest=False)

    def start_of_next_working_day(self, instant: datetime) -> datetime:
        """Opening time of the first working day strictly after the local date of ``instant``."""
        i, ordinal, _ = self._split(instant)
        if i < len(self._ords) and self._ords[i] == ordinal:
            i += 1
        if i >= len(self._ords):
            self._check_ordinal(self._last_ord + 1)
        return self._at(i, self._spans[i][0][0])

    def end_of_working_day(self, day: date) -> datetime:
        periods = self.working_periods(day)
        if not periods:
            raise ValueError(f"{day:%d/%m/%Y} không phải ngày làm việc")
        return periods[-1][1]

    def add_working_time(self, instant: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which ``amount`` of working time has passed since ``instant``."""
        if amount < timedelta(0):
            raise ValueError("Thời lượng cộng thêm phải không âm")
        us = amount // timedelta(microseconds=1)
        return self.instant_at(self.position(instant) + us, earliest=us > 0)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` is before ``start``)."""
        return timedelta(microseconds=self.position(end) - self.position(start))
