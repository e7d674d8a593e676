"""Dossier clock: supplements, resubmissions, extensions, stop and classification (Điện Biên Điều 13)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dvc_common.worktime import (
    ClockState,
    ClockStateError,
    DossierClock,
    Duration,
    EventOrderError,
    Extended,
    ExtensionAfterDeadlineError,
    ExtensionAlreadyUsedError,
    InvalidExtensionError,
    OnTimeRule,
    Outcome,
    Received,
    Resubmitted,
    Stopped,
    SupplementAfterDeadlineError,
    SupplementRequested,
    Timeliness,
    event_from_record,
    event_to_record,
    load_calendar,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = load_calendar()
H = timedelta(hours=1)


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


def started() -> DossierClock:
    # Mon 02/03/2026 09:00 + 5 working days → Mon 09/03/2026 09:00
    return DossierClock.start(CAL, vn(2026, 3, 2, 9), Duration.working_days(5))


def test_start_answers_appointment_used_and_left() -> None:
    clock = started()
    assert clock.appointment.instant == vn(2026, 3, 9, 9)
    status = clock.status(vn(2026, 3, 4, 10))  # Mon 6h + Tue 8h + Wed 3h
    assert status.used == 17 * H
    assert status.left == 23 * H
    assert not status.overdue
    assert "còn 2 ngày 7 giờ làm việc" in status.explanation


def test_supplement_pauses_and_resubmission_restarts_from_zero() -> None:
    clock = started().request_supplement(vn(2026, 3, 4, 10))
    assert clock.state is ClockState.PAUSED
    frozen = clock.status(vn(2026, 3, 6, 16))
    assert frozen.used == 17 * H and frozen.left == 23 * H
    assert "Tạm dừng chờ bổ sung" in frozen.explanation
    # Resubmitted Tue 10/03 15:30 (after cut-off) → Wed 11/03 07:00 + 40h → Tue 17/03 17:00
    clock = clock.resubmit(vn(2026, 3, 10, 15, 30))
    assert clock.state is ClockState.RUNNING
    assert clock.cycle_start.instant == vn(2026, 3, 11, 7)
    assert clock.appointment.instant == vn(2026, 3, 17, 17)
    assert clock.supplement_count == 1
    assert clock.time_used(vn(2026, 3, 11, 9)) == 2 * H
    assert "bổ sung lần 1" in clock.appointment.explanation
    assert len(clock.receipts) == 2


@pytest.mark.parametrize(
    ("result_at", "expected"),
    [
        (vn(2026, 3, 16, 10), Timeliness.EARLY),
        (vn(2026, 3, 17, 10), Timeliness.ON_TIME),  # on the appointment day
        (vn(2026, 3, 17, 17), Timeliness.ON_TIME),
        (vn(2026, 3, 18, 8), Timeliness.LATE),
    ],
)
def test_classification_after_one_supplement(result_at: datetime, expected: Timeliness) -> None:
    clock = started().request_supplement(vn(2026, 3, 4, 10)).resubmit(vn(2026, 3, 10, 15, 30))
    verdict = clock.stop(result_at).classify()
    assert verdict.legal is expected
    assert verdict.national is expected  # one supplement request is fine nationally


def test_exact_on_time_rule() -> None:
    clock = DossierClock.start(
        CAL, vn(2026, 3, 2, 9), Duration.working_days(5), on_time_rule=OnTimeRule.EXACT
    )
    assert clock.classify(vn(2026, 3, 9, 8)).legal is Timeliness.EARLY
    assert clock.classify(vn(2026, 3, 9, 9)).legal is Timeliness.ON_TIME


def test_two_supplements_are_late_nationally_but_not_legally() -> None:
    clock = (
        started()
        .request_supplement(vn(2026, 3, 3, 9))
        .resubmit(vn(2026, 3, 4, 9))
        .request_supplement(vn(2026, 3, 5, 9))
        .resubmit(vn(2026, 3, 6, 9))
        .stop(vn(2026, 3, 9, 9))
    )
    verdict = clock.classify()
    assert verdict.supplement_count == 2
    assert verdict.legal is Timeliness.EARLY
    assert verdict.national is Timeliness.LATE
    assert "quá 1 lần" in verdict.explanation


def test_paused_clock_is_not_late() -> None:
    clock = started().request_supplement(vn(2026, 3, 6, 9))
    assert clock.classify(vn(2026, 4, 20, 9)).legal is not Timeliness.LATE
    assert not clock.status(vn(2026, 4, 20, 9)).overdue


def test_overdue_time_left_is_negative() -> None:
    status = started().status(vn(2026, 3, 9, 11))
    assert status.overdue and status.left == -2 * H
    assert "quá hạn 2 giờ làm việc" in status.explanation
    assert started().classify(vn(2026, 3, 9, 11)).legal is Timeliness.LATE


def test_extension_once_before_deadline() -> None:
    clock = started().extend(vn(2026, 3, 6, 10), vn(2026, 3, 12, 17), "Cần xác minh thực địa")
    assert clock.appointment.instant == vn(2026, 3, 12, 17)
    assert clock.extension is not None
    assert "gia hạn (lần duy nhất)" in clock.appointment.explanation
    assert clock.classify(vn(2026, 3, 10, 9)).legal is Timeliness.EARLY
    with pytest.raises(ExtensionAlreadyUsedError) as info:
        clock.extend(vn(2026, 3, 9, 8), vn(2026, 3, 20, 17))
    assert "không quá một lần" in info.value.message_vi


def test_extension_after_deadline_is_refused() -> None:
    with pytest.raises(ExtensionAfterDeadlineError) as info:
        started().extend(vn(2026, 3, 9, 10), vn(2026, 3, 12, 17))
    assert "hạn đã hết lúc 09:00 Thứ Hai 09/03/2026" in info.value.message_vi


def test_extension_must_move_the_appointment_later() -> None:
    with pytest.raises(InvalidExtensionError):
        started().extend(vn(2026, 3, 5, 10), vn(2026, 3, 6, 17))


def test_extension_while_paused_is_refused() -> None:
    with pytest.raises(ClockStateError):
        started().request_supplement(vn(2026, 3, 3, 9)).extend(vn(2026, 3, 4, 9), vn(2026, 3, 20, 17))


def test_extension_is_once_per_dossier_even_after_resubmission() -> None:
    clock = (
        started()
        .extend(vn(2026, 3, 3, 9), vn(2026, 3, 12, 17))
        .request_supplement(vn(2026, 3, 4, 9))
        .resubmit(vn(2026, 3, 5, 9))
    )
    with pytest.raises(ExtensionAlreadyUsedError):
        clock.extend(vn(2026, 3, 6, 9), vn(2026, 3, 30, 17))


def test_supplement_after_deadline_is_refused() -> None:
    with pytest.raises(SupplementAfterDeadlineError) as info:
        started().request_supplement(vn(2026, 3, 9, 9, 1))
    assert "trong thời hạn giải quyết" in info.value.message_vi


def test_illegal_sequences() -> None:
    with pytest.raises(ClockStateError):
        started().resubmit(vn(2026, 3, 3, 9))  # not paused
    with pytest.raises(ClockStateError):
        started().request_supplement(vn(2026, 3, 3, 9)).request_supplement(vn(2026, 3, 3, 10))
    with pytest.raises(EventOrderError):
        started().stop(vn(2026, 3, 1, 9))
    with pytest.raises(ClockStateError):
        started().stop(vn(2026, 3, 3, 9)).request_supplement(vn(2026, 3, 3, 10))
    with pytest.raises(ClockStateError):
        started().apply(Received(vn(2026, 3, 3, 9), Duration.working_days(1)))
    with pytest.raises(ClockStateError):
        started().classify()  # no result yet and no instant given


def test_rejection_counts_as_return_and_stops_the_clock() -> None:
    clock = started().stop(vn(2026, 3, 5, 9), Outcome.REJECTED)
    assert clock.state is ClockState.STOPPED
    assert clock.classify().legal is Timeliness.EARLY
    assert clock.time_used(vn(2026, 3, 20, 9)) == clock.time_used(vn(2026, 3, 5, 9))


def test_replay_from_stored_records_gives_the_same_clock() -> None:
    clock = (
        started()
        .request_supplement(vn(2026, 3, 4, 10))
        .resubmit(vn(2026, 3, 10, 15, 30))
        .extend(vn(2026, 3, 12, 9), vn(2026, 3, 20, 17), "lý do")
        .stop(vn(2026, 3, 19, 9))
    )
    records = [event_to_record(e) for e in clock.events]
    assert [r["kind"] for r in records] == [
        "received",
        "supplement_requested",
        "resubmitted",
        "extended",
        "stopped",
    ]
    rebuilt = DossierClock.replay(CAL, [event_from_record(r) for r in records])
    assert rebuilt.appointment.instant == clock.appointment.instant
    assert rebuilt.classify() == clock.classify()
    assert rebuilt.events == clock.events


def test_replay_requires_a_receipt_first() -> None:
    with pytest.raises(ClockStateError):
        DossierClock.replay(CAL, [SupplementRequested(vn(2026, 3, 3, 9))])
    clock = DossierClock.replay(
        CAL,
        [
            Received(vn(2026, 3, 2, 9), Duration.working_days(5)),
            SupplementRequested(vn(2026, 3, 3, 9)),
            Resubmitted(vn(2026, 3, 4, 9)),
            Extended(vn(2026, 3, 5, 9), vn(2026, 3, 20, 17)),
            Stopped(vn(2026, 3, 6, 9)),
        ],
    )
    assert clock.state is ClockState.STOPPED and clock.supplement_count == 1


def test_clock_over_tet_2026() -> None:
    # Thu 12/02/2026 14:00 + 3 working days: Thu 3h, Fri 8h (11h), Tết, Mon 23/02 8h (19h), Tue 5h → 12:00?
    # 5h on Tue 24/02: 07:00–11:30 is 4.5h, then 0.5h from 13:30 → 14:00
    clock = DossierClock.start(CAL, vn(2026, 2, 12, 14), Duration.working_days(3))
    assert clock.appointment.instant == vn(2026, 2, 24, 14)
    assert clock.status(vn(2026, 2, 18, 10)).left == 13 * H  # nothing is consumed during Tết
