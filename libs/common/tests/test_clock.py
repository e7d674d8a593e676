"""The system clock: wall, offset and frozen settings; newest version wins; never backwards; fixed in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dvc_common.clock import (
    CLOCK_CHANGED,
    VIETNAM,
    Clock,
    ClockChange,
    ClockMoveRefused,
    ClockSetting,
    plan_change,
)
from dvc_common.clock_follow import setting_from_event
from dvc_common.events import CloudEvent

WALL = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00 in Việt Nam


class FakeWall:
    """The host's real time, moved by the test (the system clock is what is under test)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_a_fresh_clock_is_the_wall_clock() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    assert clock.now() == WALL
    assert clock.setting.version == 0
    assert clock.timestamp() == WALL.timestamp()
    wall.at += timedelta(seconds=5)
    assert clock.now() == WALL + timedelta(seconds=5)
    assert clock.setting.description_vi == "Đồng hồ thật của hệ thống"


def test_set_to_an_instant_keeps_running_from_there() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    target = datetime(2027, 2, 3, 15, 30, tzinfo=VIETNAM)
    setting = plan_change(clock.setting, wall(), ClockChange(set_to=target), by="operator-1")
    assert clock.apply(setting)
    assert clock.now() == target
    wall.at += timedelta(minutes=2)
    assert clock.now() == target + timedelta(minutes=2)
    assert clock.today() == target.date()
    assert setting.changed_by == "operator-1" and setting.changed_at == WALL
    assert setting.description_vi.startswith("Đồng hồ chạy nhanh hơn giờ thật 63 ngày")


def test_a_frozen_clock_stands_still_and_advances_only_when_told() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    target = datetime(2027, 2, 6, 22, 0, tzinfo=VIETNAM)
    clock.apply(plan_change(clock.setting, wall(), ClockChange(set_to=target, frozen=True), by="op"))
    wall.at += timedelta(hours=3)
    assert clock.now() == target
    advanced = plan_change(clock.setting, wall(), ClockChange(advance_by=timedelta(hours=8)), by="op")
    assert advanced.frozen, "advancing keeps the clock frozen"
    clock.apply(advanced)
    assert clock.now() == target + timedelta(hours=8)
    assert clock.setting.description_vi == "Đồng hồ dừng tại 06:00:00 ngày 07/02/2027"


def test_resuming_a_frozen_clock_runs_from_the_frozen_instant() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    target = datetime(2026, 12, 2, 8, 30, tzinfo=VIETNAM)
    clock.apply(plan_change(clock.setting, wall(), ClockChange(set_to=target, frozen=True), by="op"))
    wall.at += timedelta(hours=2)  # real time overtakes the frozen instant
    clock.apply(plan_change(clock.setting, wall(), ClockChange(set_to=target, frozen=False), by="op"))
    assert clock.now() == target
    assert clock.setting.offset_seconds < 0
    assert "chậm hơn giờ thật 1 giờ 30 phút" in clock.setting.description_vi


def test_advance_by_a_duration_from_the_current_system_time() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    clock.apply(plan_change(clock.setting, wall(), ClockChange(advance_by=timedelta(days=2)), by="op"))
    clock.apply(plan_change(clock.setting, wall(), ClockChange(advance_by=timedelta(hours=1)), by="op"))
    assert clock.now() == WALL + timedelta(days=2, hours=1)
    assert clock.setting.version == 2


def test_the_clock_never_moves_backwards() -> None:
    wall = FakeWall(WALL)
    current = plan_change(ClockSetting(), wall(), ClockChange(advance_by=timedelta(days=1)), by="op")
    with pytest.raises(ClockMoveRefused, match="Không thể lùi đồng hồ"):
        plan_change(current, wall(), ClockChange(set_to=WALL + timedelta(hours=1)), by="op")
    with pytest.raises(ClockMoveRefused, match="lớn hơn 0"):
        plan_change(current, wall(), ClockChange(advance_by=timedelta(0)), by="op")
    with pytest.raises(ClockMoveRefused):
        plan_change(current, wall(), ClockChange(advance_by=-timedelta(minutes=1)), by="op")


def test_a_change_names_exactly_one_move() -> None:
    with pytest.raises(ValueError, match="đúng một"):
        ClockChange()
    with pytest.raises(ValueError, match="đúng một"):
        ClockChange(set_to=WALL, advance_by=timedelta(hours=1))
    assert ClockChange.model_validate({"advance_by": "P1DT2H"}).advance_by == timedelta(days=1, hours=2)


def test_only_a_newer_version_is_applied_and_listeners_hear_it() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    heard: list[int] = []
    unsubscribe = clock.on_change(lambda s: heard.append(s.version))
    first = plan_change(clock.setting, wall(), ClockChange(advance_by=timedelta(hours=1)), by="op")
    second = plan_change(first, wall(), ClockChange(advance_by=timedelta(hours=1)), by="op")
    assert clock.apply(second)
    assert not clock.apply(first), "an older setting arriving late is ignored"
    assert not clock.apply(second), "the same setting twice is applied once"
    assert clock.now() == WALL + timedelta(hours=2)
    unsubscribe()
    third = plan_change(second, wall(), ClockChange(advance_by=timedelta(hours=1)), by="op")
    clock.apply(third)
    assert heard == [2]


def test_a_failing_listener_does_not_stop_the_others() -> None:
    clock = Clock(FakeWall(WALL))
    heard: list[int] = []

    def broken(_: ClockSetting) -> None:
        raise RuntimeError("boom")

    clock.on_change(broken)
    clock.on_change(lambda s: heard.append(s.version))
    clock.apply(ClockSetting(version=1, offset_seconds=60))
    assert heard == [1]


def test_in_production_the_clock_is_the_wall_clock_and_cannot_move() -> None:
    wall = FakeWall(WALL)
    clock = Clock(wall)
    clock.apply(ClockSetting(version=1, offset_seconds=3600))
    clock.configure(movable=False)
    assert clock.now() == WALL, "configuring production drops an earlier setting"
    assert not clock.apply(ClockSetting(version=2, offset_seconds=7200))
    assert clock.now() == WALL


def test_the_change_event_carries_the_setting() -> None:
    setting = ClockSetting(version=3, frozen_at=WALL, changed_by="op")
    event = CloudEvent(
        id="6f1c1f3e-1f9e-4a53-9d0c-6f1f4a1b2c3d",
        type=CLOCK_CHANGED.ce_type,
        source="dvc-identity",
        subject="system-clock",
        time=WALL,
        data=setting.model_dump(mode="json"),
        sequence=3,
        correlationid="system-clock",
    )
    assert CLOCK_CHANGED.routing_key == "clock.changed.v1"
    assert setting_from_event(event.model_dump_json()) == setting
    other = event.model_copy(update={"type": "vn.dvc.officer.locked.v1"})
    assert setting_from_event(other.model_dump_json()) is None
