"""Hand-worked cases from domain rules §4 (default hours 07:00–11:30, 13:30–17:00, Mon–Fri).

Every expected instant below was worked out by hand from the calendar, not by running the engine.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dvc_common.worktime import (
    CalendarDayEnd,
    Duration,
    appointment,
    intake_deadline,
    load_calendar,
    normalise_receipt,
    qa_deadline,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
CAL = load_calendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


WD, WH = Duration.working_days, Duration.working_hours

APPOINTMENTS = [
    # (id, received, duration, expected appointment)
    ("in-hours-1wd", vn(2026, 3, 2, 9), WD(1), vn(2026, 3, 3, 9)),
    ("cutoff-15:20", vn(2026, 3, 2, 15, 20), WD(1), vn(2026, 3, 3, 17)),
    ("cutoff-exactly-15:00-is-not-after", vn(2026, 3, 2, 15), WD(1), vn(2026, 3, 3, 15)),
    ("before-opening", vn(2026, 3, 2, 6, 30), WD(1), vn(2026, 3, 2, 17)),
    ("at-closing-17:00", vn(2026, 3, 2, 17), WD(1), vn(2026, 3, 3, 17)),
    ("lunch-break-4h", vn(2026, 3, 2, 12, 10), WH(4), vn(2026, 3, 3, 7, 30)),
    ("across-lunch-2h", vn(2026, 3, 2, 10), WH(2), vn(2026, 3, 2, 14)),
    ("zero-duration-is-the-receipt", vn(2026, 3, 2, 7), WH(0), vn(2026, 3, 2, 7)),
    ("ends-at-closing-not-next-morning", vn(2026, 3, 3, 9), WH(6), vn(2026, 3, 3, 17)),
    ("tet-2026-week", vn(2026, 2, 13, 10), WD(5), vn(2026, 2, 27, 10)),
    ("tet-2026-after-cutoff", vn(2026, 2, 13, 15, 20), WD(5), vn(2026, 2, 27, 17)),
    ("received-on-tet-holiday", vn(2026, 2, 18, 9), WD(1), vn(2026, 2, 23, 17)),
    ("tet-2025-after-cutoff", vn(2025, 1, 24, 16), WD(1), vn(2025, 2, 3, 17)),
    ("swapped-working-saturday-2024", vn(2024, 4, 26, 9), WD(5), vn(2024, 5, 7, 9)),
    ("received-on-working-saturday-2025", vn(2025, 4, 26, 8), WD(1), vn(2025, 4, 28, 8)),
    ("hung-kings-2026-observed-monday", vn(2026, 4, 24, 9), WD(2), vn(2026, 4, 29, 9)),
    ("new-year-2026", vn(2025, 12, 31, 10), WD(1), vn(2026, 1, 2, 10)),
    ("national-day-2025", vn(2025, 8, 29, 9), WD(1), vn(2025, 9, 3, 9)),
    ("received-in-utc", datetime(2026, 3, 2, 2, 0, tzinfo=UTC), WD(1), vn(2026, 3, 3, 9)),
    ("calendar-days-plain", vn(2026, 3, 2, 9), Duration.calendar_days(30), vn(2026, 4, 1, 9)),
    ("calendar-days-on-saturday", vn(2026, 3, 2, 9), Duration.calendar_days(5), vn(2026, 3, 9, 9)),
    (
        "calendar-days-exact-on-holiday",
        vn(2026, 3, 26, 10),
        Duration.calendar_days(35, CalendarDayEnd.EXACT),
        vn(2026, 4, 30, 10),
    ),
    ("calendar-days-holiday-rolls", vn(2026, 3, 26, 10), Duration.calendar_days(35), vn(2026, 5, 4, 10)),
    (
        "calendar-days-end-of-day-rolls",
        vn(2026, 3, 26, 10),
        Duration.calendar_days(35, CalendarDayEnd.END_OF_DAY),
        vn(2026, 5, 4, 17),
    ),
    (
        "calendar-days-end-of-day",
        vn(2026, 3, 2, 12, 10),
        Duration.calendar_days(30, CalendarDayEnd.END_OF_DAY),
        vn(2026, 4, 1, 17),
    ),
    ("one-working-day-from-opening-ends-17:00", vn(2026, 3, 3, 7), WD(1), vn(2026, 3, 3, 17)),
]


@pytest.mark.parametrize(
    ("received", "duration", "expected"), [c[1:] for c in APPOINTMENTS], ids=[c[0] for c in APPOINTMENTS]
)
def test_appointment_table(received: datetime, duration: Duration, expected: datetime) -> None:
    result = appointment(CAL, received, duration)
    assert result.instant == expected
    assert result.instant.tzinfo == CAL.zone
    assert result.calendar_version == CAL.version
    assert result.explanation


def test_deadline_ending_at_lunch_is_11_30_not_13_30() -> None:
    assert CAL.add_working_time(vn(2026, 3, 3, 7), timedelta(hours=4, minutes=30)) == vn(2026, 3, 3, 11, 30)
    assert CAL.next_working_instant(vn(2026, 3, 3, 11, 30)) == vn(2026, 3, 3, 13, 30)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (vn(2026, 3, 2, 9, 15), vn(2026, 3, 2, 9, 15)),
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 2, 13, 30)),
        (vn(2026, 3, 2, 15, 1), vn(2026, 3, 3, 7)),
        (vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 7)),  # Friday after cut-off → Monday
        (vn(2026, 3, 7, 10, 0), vn(2026, 3, 9, 7)),  # Saturday
        (vn(2026, 2, 17, 10, 0), vn(2026, 2, 23, 7)),  # Tết
        (vn(2024, 5, 4, 9, 0), vn(2024, 5, 4, 9, 0)),  # swapped working Saturday
        (vn(2024, 5, 4, 15, 30), vn(2024, 5, 6, 7, 0)),  # after cut-off on the working Saturday
    ],
)
def test_normalise_receipt(received: datetime, expected: datetime) -> None:
    assert normalise_receipt(CAL, received).instant == expected


def test_cutoff_is_configurable_per_call() -> None:
    assert normalise_receipt(CAL, vn(2026, 3, 2, 15, 30), cutoff=None).instant == vn(2026, 3, 2, 15, 30)
    assert normalise_receipt(CAL, vn(2026, 3, 2, 14, 30), cutoff=time(14)).instant == vn(2026, 3, 3, 7)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (vn(2026, 3, 6, 20, 0), vn(2026, 3, 9, 17)),  # Friday evening → Monday 07:00 + 8h
        (vn(2026, 3, 3, 12, 0), vn(2026, 3, 4, 11, 30)),  # lunch → 13:30 + 8h
        (vn(2026, 3, 3, 16, 0), vn(2026, 3, 4, 16, 0)),  # no 15:00 cut-off for online intake
        (vn(2026, 2, 14, 20, 0), vn(2026, 2, 23, 17)),  # during the Tết break
    ],
)
def test_intake_deadline(submitted: datetime, expected: datetime) -> None:
    result = intake_deadline(CAL, submitted)
    assert result.instant == expected
    assert result.rule == "intake.working_hours"


def test_qa_deadlines() -> None:
    asked = vn(2026, 2, 26, 14)
    assert qa_deadline(CAL, asked).instant == vn(2026, 3, 2, 14)
    assert qa_deadline(CAL, asked, needs_coordination=True).instant == vn(2026, 3, 5, 14)


def test_explanation_in_vietnamese_mentions_cutoff_and_tet() -> None:
    text = appointment(CAL, vn(2026, 2, 13, 15, 20), WD(5)).explanation
    assert "sau 15:00 nên tính từ 07:00 ngày làm việc tiếp theo" in text
    assert "5 ngày làm việc" in text
    assert "bỏ qua nghỉ Tết Nguyên Đán 16–20/02/2026" in text
    assert "17:00 Thứ Sáu 27/02/2026" in text


def test_explanation_mentions_swapped_saturday_and_decision() -> None:
    text = appointment(CAL, vn(2024, 4, 26, 9), WD(5)).explanation
    assert "bỏ qua nghỉ Ngày Chiến thắng, Quốc tế Lao động 29/04–01/05/2024" in text
    assert "ngày làm việc bù Thứ Bảy 04/05/2024" in text
    assert "2450/VPCP-KGVX" in text


def test_explanation_for_holiday_receipt() -> None:
    text = appointment(CAL, vn(2026, 2, 18, 9), WD(1)).explanation
    assert text.startswith(
        "Tiếp nhận vào ngày nghỉ Tết Nguyên Đán (Thứ Tư 18/02/2026) nên tính từ 07:00 Thứ Hai"
    )


def test_record_for_storage() -> None:
    record = appointment(CAL, vn(2026, 3, 2, 9), WD(1)).as_record()
    assert record["instant"] == "2026-03-03T09:00:00+07:00"
    assert record["rule"] == "appointment.working_days"
    assert record["calendar_version"] == CAL.version
