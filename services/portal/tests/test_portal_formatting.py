"""Dates, times and money as Vietnamese readers expect them; the catalog's codes in Vietnamese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_portal.domain import formatting as f


@pytest.mark.parametrize(
    ("instant", "day", "clock"),
    [
        (datetime(2026, 12, 1, 1, 5, tzinfo=UTC), "01/12/2026", "08:05"),
        (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "01/01/2027", "00:30"),  # next day in Vietnam
        (datetime(2026, 3, 9, 9, 0, tzinfo=timezone(timedelta(hours=7))), "09/03/2026", "09:00"),
        (datetime(2026, 3, 9, 23, 59, tzinfo=timezone(timedelta(hours=-5))), "10/03/2026", "11:59"),
    ],
)
def test_dates_and_times_are_vietnam_time(instant: datetime, day: str, clock: str) -> None:
    assert f.date_vi(instant) == day
    assert f.time_vi(instant) == clock
    assert f.datetime_vi(instant) == f"{clock} ngày {day}"


def test_no_instant_is_written_as_nothing_and_a_naive_one_is_refused() -> None:
    assert f.datetime_vi(None) == ""
    with pytest.raises(ValueError):
        f.date_vi(datetime(2026, 1, 1, 8, 0))


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (0, "0 đ"),
        (2000, "2.000 đ"),
        (75000, "75.000 đ"),
        (200000, "200.000 đ"),
        (1200000, "1.200.000 đ"),
        (-5000, "-5.000 đ"),
    ],
)
def test_money(amount: int, written: str) -> None:
    assert f.money_vi(amount) == written


@given(st.integers(min_value=0, max_value=10**12))
def test_money_reads_back_to_the_same_amount(amount: int) -> None:
    written = f.money_vi(amount)
    assert written.endswith(" đ")
    digits = written.removesuffix(" đ")
    assert int(digits.replace(".", "")) == amount
    assert all(len(group) == 3 for group in digits.split(".")[1:])


@pytest.mark.parametrize(
    ("time", "written"),
    [
        ({"value": 15, "unit": "working_days"}, "15 ngày làm việc"),
        ({"value": 8, "unit": "working_hours"}, "8 giờ làm việc"),
        ({"value": 1.5, "unit": "working_days"}, "1,5 ngày làm việc"),
        ({"value": 30, "unit": "calendar_days"}, "30 ngày"),
    ],
)
def test_processing_time(time: dict[str, object], written: str) -> None:
    assert f.processing_time_vi(time) == written


def test_codes_have_vietnamese_names_and_unknown_codes_stay_visible() -> None:
    assert f.label(f.ONLINE_LEVELS, "full") == "Toàn trình"
    assert f.label(f.ONLINE_LEVELS, "partial") == "Một phần"
    assert f.label(f.FEE_KINDS, "le_phi") == "Lệ phí"
    assert f.label(f.ACTIONS, "request_supplement") == "Yêu cầu bổ sung hồ sơ"
    assert f.label(f.ACTIONS, "new_action") == "new_action"


def test_file_sizes() -> None:
    assert f.file_size_vi(77) == "77 byte"
    assert f.file_size_vi(12_800) == "12,5 KB"
    assert f.file_size_vi(3 * 1024 * 1024) == "3 MB"
