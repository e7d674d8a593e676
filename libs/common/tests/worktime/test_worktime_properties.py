"""Property-based tests of the working-time engine (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from dvc_common.worktime import (
    CalendarDayEnd,
    DossierClock,
    Duration,
    add_duration,
    appointment,
    load_calendar,
    normalise_receipt,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
CAL = load_calendar()
BASE = datetime(2024, 1, 1, tzinfo=VN)
SPAN_MINUTES = int((datetime(2029, 6, 30, tzinfo=VN) - BASE) / timedelta(minutes=1))

instants = st.builds(
    lambda minutes, seconds, utc: (BASE + timedelta(minutes=minutes, seconds=seconds)).astimezone(
        UTC if utc else VN
    ),
    st.integers(0, SPAN_MINUTES),
    st.sampled_from([0, 0, 0, 17]),
    st.booleans(),
)
working_durations = st.one_of(
    st.builds(Duration.working_hours, st.integers(1, 400)),
    st.builds(Duration.working_days, st.integers(1, 260)),
)
calendar_durations = st.builds(
    Duration.calendar_days,
    st.integers(0, 400),
    st.sampled_from([CalendarDayEnd.NEXT_WORKING_TIME, CalendarDayEnd.END_OF_DAY]),
)
any_duration = st.one_of(working_durations, calendar_durations)


@settings(max_examples=300)
@given(instants, any_duration)
def test_deadline_is_always_inside_working_time(start: datetime, duration: Duration) -> None:
    result = appointment(CAL, start, duration).instant
    assert CAL.is_working_time(result, include_end=True)
    assert result.tzinfo == CAL.zone
    assert result >= start


@settings(max_examples=300)
@given(instants, working_durations)
def test_add_then_measure_gives_the_same_duration(start: datetime, duration: Duration) -> None:
    end = add_duration(CAL, start, duration).instant
    assert CAL.working_time_between(start, end) == duration.working_time()


@settings(max_examples=300)
@given(instants, st.integers(0, 2000), st.integers(0, 2000))
def test_deadlines_never_move_earlier_when_working_duration_grows(start: datetime, a: int, b: int) -> None:
    short, long_ = sorted((a, b))
    first = add_duration(CAL, start, Duration.working_hours(short)).instant
    second = add_duration(CAL, start, Duration.working_hours(long_)).instant
    assert first <= second


@settings(max_examples=300)
@given(
    instants,
    st.integers(0, 400),
    st.integers(0, 400),
    st.sampled_from(list(CalendarDayEnd)),
)
def test_deadlines_never_move_earlier_when_calendar_duration_grows(
    start: datetime, a: int, b: int, end: CalendarDayEnd
) -> None:
    short, long_ = sorted((a, b))
    first = appointment(CAL, start, Duration.calendar_days(short, end)).instant
    second = appointment(CAL, start, Duration.calendar_days(long_, end)).instant
    assert first <= second


@settings(max_examples=300)
@given(instants)
def test_normalised_receipt_is_a_working_instant_not_before_receipt(received: datetime) -> None:
    start = normalise_receipt(CAL, received).instant
    assert start >= received
    assert CAL.is_working_time(start)
    if CAL.is_working_time(received) and CAL.local(received).time() <= (
        CAL.hours.receipt_cutoff or start.time()
    ):
        assert start == received


@settings(max_examples=300)
@given(instants, instants, instants)
def test_elapsed_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    assert CAL.working_time_between(a, b) + CAL.working_time_between(b, c) == CAL.working_time_between(a, c)


@settings(max_examples=200)
@given(
    instants,
    st.integers(1, 30),
    st.integers(0, 60 * 24 * 60),
    st.integers(0, 60 * 24 * 90),
)
def test_pauses_never_shorten_time_left(
    received: datetime, days: int, pause_after: int, look_after: int
) -> None:
    running = DossierClock.start(CAL, received, Duration.working_days(days))
    pause_at = max(running.cycle_start.instant, CAL.local(received)) + timedelta(minutes=pause_after)
    if pause_at > running.appointment.instant:
        pause_at = running.appointment.instant
    paused = running.request_supplement(pause_at)
    at = pause_at + timedelta(minutes=look_after)
    assert paused.time_left(at) >= running.time_left(at)
    assert paused.time_left(at) == paused.time_left(pause_at)
    assert paused.time_used(at) <= running.time_used(at)


@settings(max_examples=200)
@given(instants, working_durations)
def test_time_used_plus_left_is_the_duration(received: datetime, duration: Duration) -> None:
    clock = DossierClock.start(CAL, received, duration)
    at = clock.cycle_start.instant + (clock.appointment.instant - clock.cycle_start.instant) / 3
    assert clock.time_used(at) + clock.time_left(at) == duration.working_time()


def _naive_add(start: datetime, amount: timedelta) -> datetime:
    """Reference implementation: walk day by day through the working periods."""
    local = CAL.local(start)
    day = local.date()
    left = amount
    while True:
        for a, b in CAL.working_periods(day):
            begin = max(a, local)
            if begin >= b:
                continue
            if left <= b - begin:
                return begin + left
            left -= b - begin
        day += timedelta(days=1)


@settings(max_examples=300)
@given(instants, st.integers(1, 60 * 8 * 40))
def test_add_matches_a_day_by_day_reference(start: datetime, minutes: int) -> None:
    amount = timedelta(minutes=minutes)
    assert CAL.add_working_time(start, amount) == _naive_add(start, amount)
