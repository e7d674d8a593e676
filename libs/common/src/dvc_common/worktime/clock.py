"""The dossier clock: an immutable value rebuilt from recorded events (Điện Biên Điều 13.3–13.6).

Events: :class:`Received` (start), :class:`SupplementRequested` (pause), :class:`Resubmitted` (new
receipt, processing time restarts from zero), :class:`Extended` (new appointment, once, before the
deadline) and :class:`Stopped` (result, rejection or withdrawal). Illegal operations raise a
:class:`~dvc_common.worktime.errors.ClockError` carrying a Vietnamese message.

Over 400 lines on purpose: `DossierClock` is one immutable value whose transitions (receive, pause,
resubmit, extend, stop) guard one shared invariant and are checked together against Điện Biên
Điều 13.3–13.6; the event and answer types it returns are its vocabulary. Splitting would scatter
one rule over several files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .calendar import Calendar
from .deadlines import add_duration, normalise_receipt
from .durations import CalendarDayEnd, Duration, Unit
from .errors import (
    ClockStateError,
    EventOrderError,
    ExtensionAfterDeadlineError,
    ExtensionAlreadyUsedError,
    InvalidExtensionError,
    SupplementAfterDeadlineError,
)
from .explain import Note, fmt_instant, fmt_working_duration
from .result import Computed


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


class Outcome(StrEnum):
    RESULT = "result"
    REJECTED = "rejected"  # counts as a return when the rejection slip is attached (Điều 13.4)
    WITHDRAWN = "withdrawn"


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label_vi(self) -> str:
        return {"early": "sớm hạn", "on_time": "đúng hạn", "late": "quá hạn"}[self.value]


class OnTimeRule(StrEnum):
    """When a result counts as *on time* rather than *early*.

    ``SAME_DAY`` (default): on the appointment's date, not after the appointment instant.
    ``EXACT``: only at the appointment instant itself (Điều 13.3.b read literally).
    """

    SAME_DAY = "same_day"
    EXACT = "exact"


# ---------------------------------------------------------------------------- events
@dataclass(frozen=True, slots=True)
class Received:
    at: datetime
    duration: Duration


@dataclass(frozen=True, slots=True)
class SupplementRequested:
    at: datetime


@dataclass(frozen=True, slots=True)
class Resubmitted:
    at: datetime


@dataclass(frozen=True, slots=True)
class Extended:
    at: datetime
    new_appointment: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Stopped:
    at: datetime
    outcome: Outcome = Outcome.RESULT


@dataclass(frozen=True, slots=True)
class ObligationRequested:
    """The applicant must meet a financial obligation (status 6): the clock pauses (Điều 13.5)."""

    at: datetime


@dataclass(frozen=True, slots=True)
class ObligationMet:
    """The obligation was met: the clock runs again and the appointment moves by the time waited."""

    at: datetime


ClockEvent = (
    Received | SupplementRequested | Resubmitted | Extended | Stopped | ObligationRequested | ObligationMet
)

_KINDS: dict[str, type[Any]] = {
    "received": Received,
    "supplement_requested": SupplementRequested,
    "resubmitted": Resubmitted,
    "obligation_requested": ObligationRequested,
    "obligation_met": ObligationMet,
    "extended": Extended,
    "stopped": Stopped,
}


def event_to_record(event: ClockEvent) -> dict[str, Any]:
    """JSON-ready form of an event, for the workflow service's event store."""
    kind = next(k for k, cls in _KINDS.items() if isinstance(event, cls))
    record: dict[str, Any] = {"kind": kind, "at": event.at.isoformat()}
    if isinstance(event, Received):
        d = event.duration
        record["duration"] = {"amount": d.amount, "unit": d.unit.value, "calendar_end": d.calendar_end.value}
    elif isinstance(event, Extended):
        record["new_appointment"] = event.new_appointment.isoformat()
        record["reason"] = event.reason
    elif isinstance(event, Stopped):
        record["outcome"] = event.outcome.value
    return record


def event_from_record(record: Mapping[str, Any]) -> ClockEvent:
    kind = record["kind"]
    at = datetime.fromisoformat(record["at"])
    if kind == "received":
        d = record["duration"]
        duration = Duration(
            int(d["amount"]), Unit(d["unit"]), CalendarDayEnd(d.get("calendar_end", "next_working_time"))
        )
        return Received(at, duration)
    if kind == "supplement_requested":
        return SupplementRequested(at)
    if kind == "resubmitted":
        return Resubmitted(at)
    if kind == "obligation_requested":
        return ObligationRequested(at)
    if kind == "obligation_met":
        return ObligationMet(at)
    if kind == "extended":
        return Extended(at, datetime.fromisoformat(record["new_appointment"]), str(record.get("reason", "")))
    if kind == "stopped":
        return Stopped(at, Outcome(record.get("outcome", "result")))
    raise ValueError(f"Loại sự kiện không hợp lệ: {kind!r}")


# ---------------------------------------------------------------------------- answers
@dataclass(frozen=True, slots=True)
class Classification:
    """Legal classification (Điều 13.3) and the national scoring one, reported separately."""

    legal: Timeliness
    national: Timeliness
    result_at: datetime
    appointment: datetime
    supplement_count: int
    explanation: str


@dataclass(frozen=True, slots=True)
class ClockStatus:
    at: datetime
    state: ClockState
    appointment: Computed
    used: timedelta
    left: timedelta
    overdue: bool
    supplement_count: int
    extension_used: bool
    explanation: str


def _extension_text(event: Extended, new: datetime, previous: datetime) -> str:
    text = (
        f"gia hạn (lần duy nhất) lúc {fmt_instant(event.at)}: hẹn trả cũ {fmt_instant(previous)}, "
        f"hẹn trả mới {fmt_instant(new)}"
    )
    return f"{text}; lý do: {event.reason}" if event.reason else text


# ---------------------------------------------------------------------------- the clock
@dataclass(frozen=True)
class DossierClock:
    """Processing clock of one dossier; every operation returns a new clock."""

    calendar: Calendar
    duration: Duration
    events: tuple[ClockEvent, ...]
    state: ClockState
    cycle_start: Computed
    """Normalised receipt instant of the current cycle (first receipt or latest resubmission)."""
    deadline: Computed
    """Current appointment (after an extension, the extended one)."""
    supplement_count: int = 0
    extension: Extended | None = None
    paused_at: datetime | None = None
    awaiting_obligation: bool = False
    """The pause is for the applicant's financial obligation (not a supplement)."""
    obligation_waited: timedelta = timedelta(0)
    """Working time spent waiting for financial obligations, not counted against the agency."""
    stopped: Stopped | None = None
    on_time_rule: OnTimeRule = OnTimeRule.SAME_DAY
    receipts: tuple[Computed, ...] = field(default=(), repr=False)
    """Normalised receipt of every cycle (first receipt, then each resubmission)."""

    # -------------------------------------------------------------- building
    @classmethod
    def start(
        cls,
        calendar: Calendar,
        received_at: datetime,
        duration: Duration,
        *,
        on_time_rule: OnTimeRule = OnTimeRule.SAME_DAY,
    ) -> DossierClock:
        receipt = calendar.local(received_at)
        cycle_start, deadline = _cycle(calendar, receipt, duration, "appointment")
        return cls(
            calendar=calendar,
            duration=duration,
            events=(Received(receipt, duration),),
            state=ClockState.RUNNING,
            cycle_start=cycle_start,
            deadline=deadline,
            on_time_rule=on_time_rule,
            receipts=(cycle_start,),
        )

    @classmethod
    def replay(
        cls,
        calendar: Calendar,
        events: Iterable[ClockEvent],
        *,
        on_time_rule: OnTimeRule = OnTimeRule.SAME_DAY,
    ) -> DossierClock:
        """Rebuild a clock from stored events (the first one must be :class:`Received`)."""
        iterator = iter(events)
        first = next(iterator, None)
        if not isinstance(first, Received):
            raise ClockStateError("Đồng hồ hồ sơ phải bắt đầu bằng sự kiện tiếp nhận")
        clock = cls.start(calendar, first.at, first.duration, on_time_rule=on_time_rule)
        for event in iterator:
            clock = clock.apply(event)
        return clock

    def apply(self, event: ClockEvent) -> DossierClock:
        """Validate and apply one event."""
        at = self.calendar.local(event.at)
        last = self.events[-1].at
        if at < last:
            raise EventOrderError(
                f"Sự kiện lúc {fmt_instant(at)} xảy ra trước sự kiện đã ghi nhận lúc {fmt_instant(last)}"
            )
        if self.state is ClockState.STOPPED:
            raise ClockStateError("Hồ sơ đã kết thúc xử lý, không thể ghi nhận thêm sự kiện")
        if isinstance(event, Received):
            raise ClockStateError("Hồ sơ đã được tiếp nhận; lần nộp lại phải ghi nhận là tiếp nhận bổ sung")
        if isinstance(event, SupplementRequested):
            return self._supplement(at)
        if isinstance(event, Resubmitted):
            return self._resubmit(at)
        if isinstance(event, Extended):
            return self._extend(at, event)
        if isinstance(event, ObligationRequested):
            return self._await_obligation(at)
        if isinstance(event, ObligationMet):
            return self._obligation_met(at)
        if self.awaiting_obligation:
            # The dossier ends while waiting for the payment (withdrawn, stopped): frozen at the pause.
            return replace(
                self,
                events=(*self.events, event),
                state=ClockState.STOPPED,
                stopped=Stopped(self.paused_at or at, event.outcome),
            )
        return replace(
            self, events=(*self.events, event), state=ClockState.STOPPED, stopped=Stopped(at, event.outcome)
        )

    def request_supplement(self, at: datetime) -> DossierClock:
        return self.apply(SupplementRequested(at))

    def resubmit(self, at: datetime) -> DossierClock:
        return self.apply(Resubmitted(at))

    def extend(self, at: datetime, new_appointment: datetime, reason: str = "") -> DossierClock:
        return self.apply(Extended(at, new_appointment, reason))

    def stop(self, at: datetime, outcome: Outcome = Outcome.RESULT) -> DossierClock:
        return self.apply(Stopped(at, outcome))

    def await_obligation(self, at: datetime) -> DossierClock:
        return self.apply(ObligationRequested(at))

    def obligation_met(self, at: datetime) -> DossierClock:
        return self.apply(ObligationMet(at))

    def _await_obligation(self, at: datetime) -> DossierClock:
        if self.state is not ClockState.RUNNING:
            raise ClockStateError(
                "Hồ sơ đang tạm dừng, không thể chuyển sang chờ thực hiện nghĩa vụ tài chính"
            )
        return replace(
            self,
            events=(*self.events, ObligationRequested(at)),
            state=ClockState.PAUSED,
            paused_at=at,
            awaiting_obligation=True,
        )

    def _obligation_met(self, at: datetime) -> DossierClock:
        if not self.awaiting_obligation or self.paused_at is None:
            raise ClockStateError("Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính")
        waited = self.calendar.working_time_between(self.paused_at, at)
        new = (
            self.calendar.add_working_time(self.deadline.instant, waited) if waited else self.deadline.instant
        )
        hours = self.calendar.hours.hours_per_working_day
        note = Note.plain(
            f"chờ người nộp thực hiện nghĩa vụ tài chính từ {fmt_instant(self.paused_at)} đến {fmt_instant(at)} "
            f"({fmt_working_duration(waited, hours)}) không tính vào thời gian giải quyết; "
            f"hẹn trả kết quả lùi tương ứng thành {fmt_instant(new)}"
        )
        deadline = Computed(new, self.deadline.rule, self.calendar.version, (*self.deadline.notes, note))
        return replace(
            self,
            events=(*self.events, ObligationMet(at)),
            state=ClockState.RUNNING,
            paused_at=None,
            awaiting_obligation=False,
            obligation_waited=self.obligation_waited + waited,
            deadline=deadline,
        )

    def _supplement(self, at: datetime) -> DossierClock:
        if self.state is not ClockState.RUNNING:
            raise ClockStateError("Hồ sơ đang tạm dừng chờ bổ sung, không thể yêu cầu bổ sung thêm")
        if at > self.deadline.instant:
            raise SupplementAfterDeadlineError(
                f"Chỉ được yêu cầu bổ sung hồ sơ trong thời hạn giải quyết; hạn đã hết lúc "
                f"{fmt_instant(self.deadline.instant)}"
            )
        return replace(
            self,
            events=(*self.events, SupplementRequested(at)),
            state=ClockState.PAUSED,
            paused_at=at,
            supplement_count=self.supplement_count + 1,
        )

    def _resubmit(self, at: datetime) -> DossierClock:
        if self.state is not ClockState.PAUSED or self.awaiting_obligation:
            raise ClockStateError("Chỉ tiếp nhận hồ sơ bổ sung khi hồ sơ đang chờ bổ sung")
        start, deadline = _cycle(self.calendar, at, self.duration, "resubmission", self.supplement_count)
        return replace(
            self,
            events=(*self.events, Resubmitted(at)),
            state=ClockState.RUNNING,
            cycle_start=start,
            deadline=deadline,
            paused_at=None,
            obligation_waited=timedelta(0),
            receipts=(*self.receipts, start),
        )

    def _extend(self, at: datetime, event: Extended) -> DossierClock:
        if self.extension is not None:
            raise ExtensionAlreadyUsedError(
                f"Hồ sơ đã được gia hạn một lần (lúc {fmt_instant(self.extension.at)}); "
                "việc hẹn lại ngày trả kết quả chỉ được thực hiện không quá một lần"
            )
        if self.state is not ClockState.RUNNING:
            raise ClockStateError("Không thể gia hạn khi hồ sơ đang tạm dừng chờ bổ sung")
        current = self.deadline.instant
        if at > current:
            raise ExtensionAfterDeadlineError(
                f"Chỉ được gia hạn trong thời hạn giải quyết; hạn đã hết lúc {fmt_instant(current)}"
            )
        new = self.calendar.local(event.new_appointment)
        if new <= current:
            raise InvalidExtensionError(
                f"Ngày hẹn trả mới ({fmt_instant(new)}) phải sau ngày hẹn trả hiện tại ({fmt_instant(current)})"
            )
        recorded = Extended(at, new, event.reason)
        deadline = Computed(
            new,
            "extension",
            self.calendar.version,
            (*self.deadline.notes, Note(_extension_text, (recorded, new, current))),
        )
        return replace(self, events=(*self.events, recorded), deadline=deadline, extension=recorded)

    # -------------------------------------------------------------- answers
    @property
    def appointment(self) -> Computed:
        return self.deadline

    @property
    def frozen_at(self) -> datetime | None:
        """Where the clock stands still: the pause instant, or the stop instant."""
        if self.paused_at is not None:
            return self.paused_at
        return None if self.stopped is None else self.stopped.at

    def _effective(self, at: datetime) -> datetime:
        local = self.calendar.local(at)
        frozen = self.frozen_at
        return local if frozen is None or local < frozen else frozen

    def time_used(self, at: datetime) -> timedelta:
        """Working time used in the current cycle at ``at`` (zero before the receipt)."""
        used = self.calendar.working_time_between(self.cycle_start.instant, self._effective(at))
        return max(used - self.obligation_waited, timedelta(0))

    def time_left(self, at: datetime) -> timedelta:
        """Working time left until the appointment (negative once overdue); frozen while paused."""
        return self.calendar.working_time_between(self._effective(at), self.deadline.instant)

    def status(self, at: datetime) -> ClockStatus:
        used, left = self.time_used(at), self.time_left(at)
        effective = self._effective(at)
        overdue = effective > self.deadline.instant
        hours = self.calendar.hours.hours_per_working_day
        state_text = {
            ClockState.RUNNING: "Đang giải quyết",
            ClockState.PAUSED: (
                f"Tạm dừng chờ thực hiện nghĩa vụ tài chính từ {fmt_instant(self.paused_at or effective)}"
                if self.awaiting_obligation
                else f"Tạm dừng chờ bổ sung hồ sơ từ {fmt_instant(self.paused_at or effective)}"
            ),
            ClockState.STOPPED: "Đã kết thúc xử lý",
        }[self.state]
        parts = [
            state_text,
            f"hẹn trả {fmt_instant(self.deadline.instant)}",
            f"đã dùng {fmt_working_duration(used, hours)}",
        ]
        if overdue:
            parts.append(f"quá hạn {fmt_working_duration(-left, hours)}")
        else:
            parts.append(f"còn {fmt_working_duration(left, hours)}")
        return ClockStatus(
            at=self.calendar.local(at),
            state=self.state,
            appointment=self.deadline,
            used=used,
            left=left,
            overdue=overdue,
            supplement_count=self.supplement_count,
            extension_used=self.extension is not None,
            explanation="; ".join(parts),
        )

    def classify(self, at: datetime | None = None) -> Classification:
        """Classify a result at ``at`` (default: the stop instant). A paused clock is frozen at the pause."""
        if at is None:
            if self.stopped is None:
                raise ClockStateError("Hồ sơ chưa có kết quả; cần chỉ rõ thời điểm để phân loại")
            at = self.stopped.at
        effective = self._effective(at)
        due = self.deadline.instant
        if effective > due:
            legal = Timeliness.LATE
        elif effective == due or (
            self.on_time_rule is OnTimeRule.SAME_DAY and effective.date() == due.date()
        ):
            legal = Timeliness.ON_TIME
        else:
            legal = Timeliness.EARLY
        national = Timeliness.LATE if self.supplement_count > 1 else legal
        text = f"Có kết quả lúc {fmt_instant(effective)}, hẹn trả {fmt_instant(due)}: {legal.label_vi}"
        if national is not legal:
            text += (
                f"; theo cách tính điểm quốc gia: {national.label_vi} "
                f"(yêu cầu bổ sung {self.supplement_count} lần, quá 1 lần)"
            )
        return Classification(legal, national, effective, due, self.supplement_count, text)


def _cycle(
    calendar: Calendar, received_at: datetime, duration: Duration, rule: str, supplement: int = 0
) -> tuple[Computed, Computed]:
    """Normalised receipt and appointment of one processing cycle."""
    start = normalise_receipt(calendar, received_at)
    end = add_duration(calendar, start.instant, duration, label="hẹn trả kết quả", skipped_from=received_at)
    notes = start.notes + end.notes
    if supplement:
        prefix = Note.plain(f"tiếp nhận hồ sơ bổ sung lần {supplement}, thời gian giải quyết tính lại từ đầu")
        notes = (prefix, *notes)
    deadline = Computed(end.instant, f"{rule}.{duration.unit.value}", calendar.version, notes)
    return start, deadline
