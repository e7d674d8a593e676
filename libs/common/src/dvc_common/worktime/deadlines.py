"""Deadline operations: receipt normalisation, adding legal durations, intake and Q&A deadlines."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum

from .calendar import Calendar
from .durations import CalendarDayEnd, Duration, Unit
from .explain import Note, fmt_clock, fmt_date, fmt_instant, skipped_days_note
from .result import Computed

INTAKE_DURATION = Duration.working_hours(8)
"""Lai Châu Điều 10.1.b: accept, reject or ask to supplement an online dossier within 8 working hours."""
QA_DURATION = Duration.working_days(2)
QA_COORDINATION_DURATION = Duration.working_days(5)
ACCOUNT_REQUEST_DURATION = Duration.working_days(1)
SUPPORT_INCIDENT_DURATION = Duration.working_hours(8)


class _Default(Enum):
    TOKEN = 0


_DEFAULT = _Default.TOKEN


# ---------------------------------------------------------------------------- notes (rendered lazily)
def _why_outside(calendar: Calendar, local: datetime) -> str:
    day = local.date()
    day_off = calendar.day_off(day)
    if day_off is not None:
        return f"vào ngày nghỉ {day_off.group} ({fmt_date(day)})"
    if not calendar.is_working_day(day):
        return f"vào ngày nghỉ hằng tuần ({fmt_date(day)})"
    return f"lúc {fmt_instant(local)}, ngoài giờ làm việc"


def _receipt_text(
    calendar: Calendar, verb: str, received_at: datetime, start: datetime, reason: str, cutoff: time | None
) -> str:
    local = calendar.local(received_at)
    if reason == "in_hours":
        return f"{verb} lúc {fmt_instant(local)}, trong giờ làm việc"
    if reason == "cutoff" and cutoff is not None:
        return (
            f"{verb} lúc {fmt_instant(local)}, sau {cutoff:%H:%M} nên tính từ {fmt_clock(start)} "
            f"ngày làm việc tiếp theo ({fmt_date(start.date())})"
        )
    return f"{verb} {_why_outside(calendar, local)} nên tính từ {fmt_instant(start)}"


def _start_text(calendar: Calendar, verb: str, local: datetime, start: datetime) -> str:
    if start == local:
        return f"{verb} lúc {fmt_instant(local)}, trong giờ làm việc"
    return f"{verb} {_why_outside(calendar, local)} nên tính từ giờ làm việc kế tiếp {fmt_instant(start)}"


def _add_text(duration: Duration, hours_per_day: int) -> str:
    if duration.unit is Unit.WORKING_DAYS:
        return f"cộng {duration.describe_vi()} ({duration.amount * hours_per_day} giờ làm việc)"
    return f"cộng {duration.describe_vi()}"


def _result_text(label: str, instant: datetime) -> str:
    return f"{label}: {fmt_instant(instant)}"


def _roll_text(target: datetime, result: datetime, mode: CalendarDayEnd) -> str:
    if mode is CalendarDayEnd.END_OF_DAY:
        if target.date() == result.date():
            return f"hết giờ làm việc của ngày cuối cùng ({fmt_date(result.date())})"
        return (
            f"ngày cuối cùng {fmt_date(target.date())} là ngày nghỉ nên kết thúc vào cuối giờ làm việc "
            f"ngày làm việc tiếp theo ({fmt_date(result.date())})"
        )
    if target == result:
        return ""
    if target.date() != result.date():
        return (
            f"{fmt_instant(target)} không phải thời gian làm việc nên chuyển sang "
            f"thời gian làm việc kế tiếp ({fmt_instant(result)})"
        )
    return f"{fmt_instant(target)} ngoài giờ làm việc nên chuyển sang {fmt_clock(result)} cùng ngày"


# ---------------------------------------------------------------------------- operations
def normalise_receipt(
    calendar: Calendar,
    received_at: datetime,
    *,
    cutoff: time | _Default | None = _DEFAULT,
) -> Computed:
    """The instant from which processing time counts (Điện Biên Điều 13.1).

    Received after the cut-off (default 15:00, from the calendar's office hours) → opening time of the
    next working day; outside working time (lunch, evening, weekend, holiday) → start of the next
    working period; otherwise the receipt instant itself.
    """
    limit = calendar.hours.receipt_cutoff if isinstance(cutoff, _Default) else cutoff
    start, reason = calendar.receipt_start(received_at, limit)
    note = Note(_receipt_text, (calendar, "tiếp nhận", received_at, start, reason, limit))
    return Computed(start, f"receipt.{reason}", calendar.version, (note,))


def _add_calendar_days(
    calendar: Calendar, start: datetime, duration: Duration
) -> tuple[datetime, Note | None]:
    local = calendar.local(start)
    naive = local.replace(tzinfo=None) + timedelta(days=duration.amount)
    target = naive.replace(tzinfo=calendar.zone)
    mode = duration.calendar_end
    if mode is CalendarDayEnd.EXACT:
        return target, None
    if mode is CalendarDayEnd.END_OF_DAY:
        day = calendar.working_day_on_or_after(target.date())
        result = calendar.end_of_working_day(day)
    else:
        day = calendar.working_day_on_or_after(target.date())
        moved = (
            target
            if day == target.date()
            else (datetime.combine(day, naive.time()).replace(tzinfo=calendar.zone))
        )
        if calendar.is_working_time(moved, include_end=True):
            result = moved
        else:
            result = calendar.next_working_instant(moved)
    return result, Note(_roll_text, (target, result, mode))


def add_duration(
    calendar: Calendar,
    start: datetime,
    duration: Duration,
    *,
    label: str = "hạn",
    skipped_from: datetime | None = None,
) -> Computed:
    """``start`` plus a legal duration, as an instant in the calendar's zone.

    Working hours and working days (``hours_per_working_day`` hours each) are added on the working
    timeline, so a start outside working time counts from the next working period; the result is the
    earliest instant at which the duration is used up (e.g. 17:00 rather than 07:00 the next day).
    Calendar days follow ``duration.calendar_end``. ``skipped_from`` (default ``start``) is where the
    explanation starts listing the holidays skipped.
    """
    hours_per_day = calendar.hours.hours_per_working_day
    notes: list[Note] = [Note(_add_text, (duration, hours_per_day))]
    if duration.is_working_time:
        result = calendar.add_working_time(start, duration.working_time(hours_per_day))
        first = calendar.local(start if skipped_from is None else skipped_from).date()
        notes.append(skipped_days_note(calendar, first, result.date()))
    else:
        result, roll = _add_calendar_days(calendar, start, duration)
        if roll is not None:
            notes.append(roll)
    notes.append(Note(_result_text, (label, result)))
    return Computed(result, f"add.{duration.unit.value}", calendar.version, tuple(notes))


def appointment(
    calendar: Calendar,
    received_at: datetime,
    duration: Duration,
    *,
    cutoff: time | _Default | None = _DEFAULT,
) -> Computed:
    """Appointment (return) instant: normalised receipt + the procedure's legal processing time."""
    start = normalise_receipt(calendar, received_at, cutoff=cutoff)
    end = add_duration(calendar, start.instant, duration, label="hẹn trả kết quả", skipped_from=received_at)
    return Computed(
        end.instant, f"appointment.{duration.unit.value}", calendar.version, start.notes + end.notes
    )


def working_time_elapsed(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Working time between two instants (negative if ``end`` is before ``start``)."""
    return calendar.working_time_between(start, end)


def _from_next_working_hour(
    calendar: Calendar, at: datetime, duration: Duration, verb: str, rule: str, label: str
) -> Computed:
    local = calendar.local(at)
    start = calendar.next_working_instant(local)
    end = add_duration(calendar, start, duration, label=label, skipped_from=local)
    notes = (Note(_start_text, (calendar, verb, local, start)), *end.notes)
    return Computed(end.instant, rule, calendar.version, notes)


def intake_deadline(calendar: Calendar, submitted_at: datetime) -> Computed:
    """Deadline to accept/reject an online dossier: 8 working hours (Lai Châu Điều 10.1.b)."""
    return _from_next_working_hour(
        calendar, submitted_at, INTAKE_DURATION, "nộp trực tuyến", "intake.working_hours", "hạn tiếp nhận"
    )


def qa_deadline(calendar: Calendar, asked_at: datetime, *, needs_coordination: bool = False) -> Computed:
    """Deadline to answer a question: 2 working days, 5 when other agencies must be consulted."""
    duration = QA_COORDINATION_DURATION if needs_coordination else QA_DURATION
    rule = "qa.coordination" if needs_coordination else "qa.simple"
    return _from_next_working_hour(calendar, asked_at, duration, "câu hỏi gửi", rule, "hạn trả lời")


def support_deadline(calendar: Calendar, requested_at: datetime) -> Computed:
    """Support incident: 8 working hours from the request."""
    return _from_next_working_hour(
        calendar,
        requested_at,
        SUPPORT_INCIDENT_DURATION,
        "yêu cầu hỗ trợ gửi",
        "support.working_hours",
        "hạn xử lý",
    )


def account_request_deadline(calendar: Calendar, requested_at: datetime) -> Computed:
    """Account grant/revoke request: 1 working day from the request."""
    return _from_next_working_hour(
        calendar, requested_at, ACCOUNT_REQUEST_DURATION, "đề nghị gửi", "account.working_days", "hạn xử lý"
    )
