"""The system clock: one source of "now" for every deadline, event time, slip and token (issue 20).

Domain time is read here and nowhere else (`tests/lint/test_no_direct_time.py` keeps it so):
`clock.now()` for an instant, `clock.timestamp()` for epoch seconds. Timeouts and durations that
only measure elapsed time use `time.monotonic()`; operational stamps that must stay real time
(when a message was dead-lettered) use `wall_now()`.

In production the clock is the wall clock, fixed: nothing can move it. In development and training
environments the provincial operator can move it forward (identity owns the setting, `POST
/api/v1/clock`): either a running clock shifted by an offset from the wall clock, or a frozen
instant. A setting is a versioned value; every process applies the newest version it has seen
(`clock.changed.v1` on `dvc.internal`, and identity's `GET /api/v1/clock/setting` at start).

The clock never moves backwards: deadlines already computed, events already ordered by time and the
audit chains all assume time only grows. `plan_change` refuses an instant before the current one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

from dvc_common.events.base import INTERNAL, EventType, Payload

log = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def wall_now() -> datetime:
    """The real time of this host: only for operational stamps, never for domain time."""
    return datetime.now(UTC)


class ClockSetting(Payload):
    """How the system clock relates to the wall clock; the payload of `clock.changed.v1`.

    `version` 0 is the wall clock itself (never changed). Running: now = wall + `offset_seconds`.
    Frozen: now = `frozen_at`, whatever the wall clock says.
    """

    version: int = 0
    offset_seconds: float = 0.0
    frozen_at: AwareDatetime | None = None
    changed_at: AwareDatetime | None = None  # the real (wall) time when the operator made the change
    changed_by: str | None = None

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self, wall: datetime) -> datetime:
        if self.frozen_at is not None:
            return self.frozen_at.astimezone(UTC)
        return wall + timedelta(seconds=self.offset_seconds)

    @property
    def description_vi(self) -> str:
        if self.version == 0:
            return "Đồng hồ thật của hệ thống"
        if self.frozen_at is not None:
            return f"Đồng hồ dừng tại {self.frozen_at.astimezone(VIETNAM):%H:%M:%S ngày %d/%m/%Y}"
        pace = "nhanh" if self.offset_seconds >= 0 else "chậm"
        return f"Đồng hồ chạy {pace} hơn giờ thật {_duration_text(abs(self.offset_seconds))}"


WALL_CLOCK = ClockSetting()

CLOCK_CHANGED: EventType[ClockSetting] = EventType(
    aggregate="clock",
    name="changed",
    version=1,
    payload=ClockSetting,
    audience=INTERNAL,
    summary="The provincial operator moved the system clock (training environments); every replica applies it.",
    example=ClockSetting(version=1, offset_seconds=3600.0, changed_by="operator-1"),
    producer="identity",
)
CLOCK_SUBJECT = "system-clock"

Listener = Callable[[ClockSetting], None]


class Clock:
    """The process's clock. Thread-safe reads; `apply` takes the newest setting and tells listeners."""

    def __init__(self, wall: Callable[[], datetime] = wall_now, *, movable: bool = True) -> None:
        self._wall = wall
        self._movable = movable
        self._setting = WALL_CLOCK
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self.synchronised = False  # a follower has read the owner's setting at least once

    @property
    def movable(self) -> bool:
        return self._movable

    @property
    def setting(self) -> ClockSetting:
        return self._setting

    def now(self) -> datetime:
        """The system time, timezone-aware (UTC)."""
        return self._setting.now(self._wall())

    def timestamp(self) -> float:
        """The system time as POSIX seconds (JWT `iat`/`exp`, epoch-based expiries)."""
        return self.now().timestamp()

    def today(self, tz: tzinfo = VIETNAM) -> date:
        return self.now().astimezone(tz).date()

    def configure(self, *, movable: bool) -> None:
        """Production: `movable=False` returns to the wall clock and ignores every later setting."""
        with self._lock:
            self._movable = movable
            if not movable:
                self._setting = WALL_CLOCK

    def apply(self, setting: ClockSetting) -> bool:
        """Take `setting` if it is newer than the one in force; True when the clock changed."""
        with self._lock:
            if not self._movable:
                if setting.version:
                    log.warning("clock change ignored: the clock is fixed in production")
                return False
            if setting.version <= self._setting.version:
                return False
            self._setting = setting
            listeners = list(self._listeners)
        log.info(
            "system clock changed",
            extra={"version": setting.version, "now": self.now().isoformat(), "by": setting.changed_by},
        )
        for listener in listeners:
            try:
                listener(setting)
            except Exception:
                log.exception("clock listener failed")
        return True

    def on_change(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after every change (e.g. a scheduler's `wake`); returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def reset(self) -> None:
        """Back to the wall clock, version 0 (tests only: a live system never moves back)."""
        with self._lock:
            self._setting = WALL_CLOCK
            self.synchronised = False


SYSTEM_CLOCK = Clock()


def now() -> datetime:
    """The system time (UTC): what every use-case calls "now"."""
    return SYSTEM_CLOCK.now()


def timestamp() -> float:
    return SYSTEM_CLOCK.timestamp()


def today(tz: tzinfo = VIETNAM) -> date:
    return SYSTEM_CLOCK.today(tz)


# ------------------------------------------------------------------------------- changing it
class ClockChange(BaseModel):
    """An operator's request: set the clock to an instant, or advance it by a duration.

    `frozen`: stop the clock at the new instant (True), let it run from there (False), or keep the
    current mode (None; setting an instant then means running).
    """

    model_config = ConfigDict(extra="forbid")

    set_to: AwareDatetime | None = None
    advance_by: timedelta | None = None
    frozen: bool | None = None

    @model_validator(mode="after")
    def _one_move(self) -> ClockChange:
        if (self.set_to is None) == (self.advance_by is None):
            raise ValueError("cần đúng một trong hai: set_to (đặt tới thời điểm) hoặc advance_by (tiến thêm)")
        return self


class ClockMoveRefused(ValueError):
    """The change would move the clock backwards, or by nothing; `args[0]` is the Vietnamese reason."""


def plan_change(current: ClockSetting, wall: datetime, change: ClockChange, *, by: str) -> ClockSetting:
    """The setting after `change`, made at wall time `wall`. Never backwards."""
    present = current.now(wall)
    if change.advance_by is not None:
        if change.advance_by <= timedelta(0):
            raise ClockMoveRefused("Chỉ được cho đồng hồ tiến lên: khoảng thời gian phải lớn hơn 0")
        target = present + change.advance_by
    else:
        assert change.set_to is not None
        target = change.set_to.astimezone(UTC)
        if target < present:
            raise ClockMoveRefused(
                f"Không thể lùi đồng hồ: thời điểm {_vn(target)} sớm hơn giờ hệ thống hiện tại {_vn(present)}. "
                "Thời hạn, thứ tự sự kiện và nhật ký kiểm toán đã ghi đều giả định thời gian chỉ tiến lên; "
                "muốn bắt đầu lại, hãy dựng lại môi trường đào tạo."
            )
    frozen = (
        current.frozen if change.frozen is None and change.advance_by is not None else bool(change.frozen)
    )
    base = {"version": current.version + 1, "changed_at": wall, "changed_by": by}
    if frozen:
        return ClockSetting(**base, offset_seconds=0.0, frozen_at=target)
    return ClockSetting(**base, offset_seconds=(target - wall).total_seconds())


def _vn(instant: datetime) -> str:
    return f"{instant.astimezone(VIETNAM):%H:%M:%S ngày %d/%m/%Y}"


def _duration_text(seconds: float) -> str:
    remaining = round(seconds)
    days, remaining = divmod(remaining, 86400)
    hours, remaining = divmod(remaining, 3600)
    minutes, secs = divmod(remaining, 60)
    parts = [f"{days} ngày"] if days else []
    parts += [f"{hours} giờ"] if hours else []
    parts += [f"{minutes} phút"] if minutes else []
    parts += [f"{secs} giây"] if secs or not parts else []
    return " ".join(parts)
