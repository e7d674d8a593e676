"""Calendar data: lunar holidays, weekend compensation, decisions, versions, office hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from lunardate import LunarDate

from dvc_common.worktime import (
    Calendar,
    CalendarDataError,
    CalendarRangeError,
    CalendarRegistry,
    Duration,
    OfficeHours,
    Period,
    add_duration,
    appointment,
    build_calendar,
    load_calendar,
    load_office_hours,
    parse_decision,
    province_ids,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = load_calendar()

# Published dates (Mùng 1 Tết and 10/3 lunar), checked against official calendars.
PUBLISHED_TET = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}
PUBLISHED_HUNG_KINGS = {
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
}


def _days_named(year: int, group: str) -> list[date]:
    return [d.day for d in CAL.days_off_between(date(year, 1, 1), date(year, 12, 31)) if d.group == group]


@pytest.mark.parametrize("year", sorted(PUBLISHED_TET))
def test_tet_and_hung_kings_match_published_dates(year: int) -> None:
    tet = PUBLISHED_TET[year]
    day = CAL.day_off(tet)
    assert day is not None and day.group == "Tết Nguyên Đán"
    hung = CAL.day_off(PUBLISHED_HUNG_KINGS[year])
    assert hung is not None and hung.group == "Giỗ Tổ Hùng Vương"


@pytest.mark.parametrize("year", range(2024, 2031))
def test_lunar_holidays_agree_with_lunardate(year: int) -> None:
    tet = LunarDate(year, 1, 1).to_solar_date()
    hung = LunarDate(year, 3, 10).to_solar_date()
    assert tet in _days_named(year, "Tết Nguyên Đán")
    assert hung in _days_named(year, "Giỗ Tổ Hùng Vương")
    # five Tết days off are granted; some may be moved off a weekend
    assert len(_days_named(year, "Tết Nguyên Đán")) >= 5


@pytest.mark.parametrize("year", range(2024, 2031))
def test_fixed_holidays_present(year: int) -> None:
    for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
        assert CAL.day_off(date(year, month, day)) is not None
    national_day = _days_named(year, "Quốc khánh")
    adjacent = [d for d in national_day if d != date(year, 9, 2)]
    assert any(abs((d - date(year, 9, 2)).days) == 1 for d in adjacent)


def test_tet_2026_break_is_16_to_20_february() -> None:
    assert _days_named(2026, "Tết Nguyên Đán") == [date(2026, 2, d) for d in range(16, 21)]
    assert [d for d in range(14, 23) if CAL.is_working_day(date(2026, 2, d))] == []
    assert CAL.is_working_day(date(2026, 2, 13)) and CAL.is_working_day(date(2026, 2, 23))


def test_weekend_holiday_is_compensated_on_next_working_day() -> None:
    assert CAL.day_off(date(2028, 1, 3)) is not None  # 1/1/2028 is a Saturday
    assert CAL.day_off(date(2027, 5, 3)) is not None  # 1/5/2027 is a Saturday
    assert CAL.day_off(date(2026, 4, 27)) is not None  # Hùng Kings 26/4/2026 is a Sunday
    assert not CAL.is_working_day(date(2026, 4, 27))


def test_shipped_swaps() -> None:
    assert not CAL.is_working_day(date(2024, 4, 29)) and CAL.is_working_day(date(2024, 5, 4))
    assert not CAL.is_working_day(date(2025, 5, 2)) and CAL.is_working_day(date(2025, 4, 26))
    swapped = CAL.swapped_working_day(date(2024, 5, 4))
    assert swapped is not None and "2450/VPCP-KGVX" in swapped.source


DECISION_2026 = {
    "id": "test-2026-quoc-khanh",
    "reference": "Quyết định thử nghiệm số 1/TEST",
    "days_off": [{"date": "2026-08-31", "name": "Nghỉ hoán đổi dịp 2/9", "group": "Quốc khánh"}],
    "working_days": [{"date": "2026-08-22", "reason": "Làm bù cho Thứ Hai 31/08/2026"}],
}


def test_loading_a_decision_creates_a_new_version_and_changes_deadlines() -> None:
    decision = parse_decision(__import__("json").dumps(DECISION_2026))
    newer = CAL.with_decision(decision)
    assert newer.version != CAL.version
    assert newer.decision_ids[-1] == "test-2026-quoc-khanh"
    assert CAL.is_working_day(date(2026, 8, 31))  # the old version is unchanged
    assert not newer.is_working_day(date(2026, 8, 31)) and newer.is_working_day(date(2026, 8, 22))
    received = datetime(2026, 8, 28, 9, tzinfo=VN)  # Friday
    assert appointment(CAL, received, Duration.working_days(1)).instant == datetime(2026, 8, 31, 9, tzinfo=VN)
    later = appointment(newer, received, Duration.working_days(1))
    assert later.instant == datetime(2026, 9, 3, 9, tzinfo=VN)
    assert later.calendar_version == newer.version


def test_registry_keeps_old_versions() -> None:
    registry = CalendarRegistry(CAL)
    old = registry.current.version
    registry.load_decision(parse_decision(DECISION_2026))
    assert registry.current.version != old
    assert registry.get(old) is CAL
    with pytest.raises(CalendarDataError):
        registry.get("nope@000")


def test_version_is_deterministic_and_content_based() -> None:
    again = build_calendar(load_office_hours("default"))
    assert again.version == CAL.version
    without_decisions = build_calendar(load_office_hours("default"), decisions=())
    assert without_decisions.version != CAL.version


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        '{"id": "x"}',
        '{"id": "x", "reference": "r"}',
        '{"id": "x", "reference": "r", "days_off": [{"date": "2026-13-01"}]}',
        '{"id": "x", "reference": "r", "days_off": [{"date": "2026-01-02"}], "working_days": [{"date": "2026-01-02"}]}',
    ],
)
def test_malformed_decisions_are_refused(raw: str) -> None:
    with pytest.raises(CalendarDataError):
        parse_decision(raw)


def test_same_decision_twice_is_refused() -> None:
    decision = parse_decision(DECISION_2026)
    with pytest.raises(CalendarDataError, match="đã được nạp"):
        CAL.with_decision(decision).with_decision(decision)


def test_decision_outside_range_is_refused() -> None:
    decision = parse_decision({"id": "y", "reference": "r", "days_off": [{"date": "2031-01-02"}]})
    with pytest.raises(CalendarDataError):
        CAL.with_decision(decision)


def test_out_of_range_instants_raise_in_vietnamese() -> None:
    with pytest.raises(CalendarRangeError, match="2031"):
        appointment(CAL, datetime(2031, 1, 5, 9, tzinfo=VN), Duration.working_days(1))
    with pytest.raises(CalendarRangeError):
        add_duration(CAL, datetime(2030, 12, 20, 9, tzinfo=VN), Duration.working_days(30))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.position(datetime(2026, 3, 2, 9))


def test_provinces_are_configured() -> None:
    assert {"default", "dien-bien", "lai-chau"} <= set(province_ids())
    assert load_calendar("dien-bien").hours.receipt_cutoff == time(15)
    with pytest.raises(CalendarDataError):
        load_office_hours("atlantis")


def test_different_hours_on_different_days() -> None:
    full = (Period(time(7), time(11, 30)), Period(time(13, 30), time(17)))
    short_friday = (Period(time(7), time(11)),)
    hours = OfficeHours(weekly=(full, full, full, full, short_friday, (), ()), profile_id="short-friday")
    calendar = build_calendar(hours)
    friday = date(2026, 3, 6)
    assert calendar.working_duration_of_day(friday) == timedelta(hours=4)
    # Thursday 16:00 + 8h: 1h Thu, 4h Fri (07–11), 3h Monday → 10:00
    result = calendar.add_working_time(datetime(2026, 3, 5, 16, tzinfo=VN), timedelta(hours=8))
    assert result == datetime(2026, 3, 9, 10, tzinfo=VN)
    assert not calendar.is_working_time(datetime(2026, 3, 6, 14, tzinfo=VN))


def test_invalid_office_hours_are_refused() -> None:
    with pytest.raises(CalendarDataError):
        Period(time(12), time(11))
    with pytest.raises(CalendarDataError):
        OfficeHours(weekly=((),) * 7)
    with pytest.raises(CalendarDataError):
        Calendar(OfficeHours(), 2026, 2025, ())


def test_working_periods_and_elapsed() -> None:
    periods = CAL.working_periods(date(2026, 3, 2))
    assert periods[0] == (datetime(2026, 3, 2, 7, tzinfo=VN), datetime(2026, 3, 2, 11, 30, tzinfo=VN))
    assert CAL.working_periods(date(2026, 3, 7)) == ()
    start, end = datetime(2026, 2, 13, 10, tzinfo=VN), datetime(2026, 2, 27, 10, tzinfo=VN)
    assert CAL.working_time_between(start, end) == timedelta(hours=40)
    assert CAL.working_time_between(end, start) == -timedelta(hours=40)
