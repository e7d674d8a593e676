"""Working-time engine: exact legal deadlines with pauses, restarts and extensions (domain rules §4).

Pure and I/O-free apart from reading its shipped calendar data. Start with :func:`load_calendar`, then
:func:`appointment` / :func:`add_duration` / :func:`intake_deadline` / :func:`qa_deadline`, the
:class:`DossierClock` for a dossier's life, and :func:`check_step` for internal step budgets. Every
computed instant is a :class:`Computed` with a Vietnamese ``explanation`` and the ``calendar_version``.
"""

from .calendar import Calendar
from .clock import (
    Classification,
    ClockEvent,
    ClockState,
    ClockStatus,
    DossierClock,
    Extended,
    ObligationMet,
    ObligationRequested,
    OnTimeRule,
    Outcome,
    Received,
    Resubmitted,
    Stopped,
    SupplementRequested,
    Timeliness,
    event_from_record,
    event_to_record,
)
from .days_off import DayOff, Decision, SwappedWorkingDay, parse_decision
from .deadlines import (
    INTAKE_DURATION,
    QA_COORDINATION_DURATION,
    QA_DURATION,
    account_request_deadline,
    add_duration,
    appointment,
    intake_deadline,
    normalise_receipt,
    qa_deadline,
    support_deadline,
    working_time_elapsed,
)
from .durations import CalendarDayEnd, Duration, Unit
from .errors import (
    CalendarDataError,
    CalendarRangeError,
    ClockError,
    ClockStateError,
    EventOrderError,
    ExtensionAfterDeadlineError,
    ExtensionAlreadyUsedError,
    InvalidExtensionError,
    SupplementAfterDeadlineError,
    WorktimeError,
)
from .explain import fmt_instant, fmt_working_duration
from .hours import OfficeHours, Period
from .loader import build_calendar, load_calendar, load_office_hours, province_ids
from .registry import CalendarRegistry
from .result import Computed
from .steps import StepCheck, StepColor, StepRecord, check_step, check_steps

__all__ = [
    "INTAKE_DURATION",
    "QA_COORDINATION_DURATION",
    "QA_DURATION",
    "Calendar",
    "CalendarDataError",
    "CalendarDayEnd",
    "CalendarRangeError",
    "CalendarRegistry",
    "Classification",
    "ClockError",
    "ClockEvent",
    "ClockState",
    "ClockStateError",
    "ClockStatus",
    "Computed",
    "DayOff",
    "Decision",
    "DossierClock",
    "Duration",
    "EventOrderError",
    "Extended",
    "ExtensionAfterDeadlineError",
    "ExtensionAlreadyUsedError",
    "InvalidExtensionError",
    "ObligationMet",
    "ObligationRequested",
    "OfficeHours",
    "OnTimeRule",
    "Outcome",
    "Period",
    "Received",
    "Resubmitted",
    "StepCheck",
    "StepColor",
    "StepRecord",
    "Stopped",
    "SupplementAfterDeadlineError",
    "SupplementRequested",
    "SwappedWorkingDay",
    "Timeliness",
    "Unit",
    "WorktimeError",
    "account_request_deadline",
    "add_duration",
    "appointment",
    "build_calendar",
    "check_step",
    "check_steps",
    "event_from_record",
    "event_to_record",
    "fmt_instant",
    "fmt_working_duration",
    "intake_deadline",
    "load_calendar",
    "load_office_hours",
    "normalise_receipt",
    "parse_decision",
    "province_ids",
    "qa_deadline",
    "support_deadline",
    "working_time_elapsed",
]
