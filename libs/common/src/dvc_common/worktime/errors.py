"""Exceptions raised by the working-time engine; each carries a Vietnamese message for people."""

from __future__ import annotations


class WorktimeError(Exception):
    """Base class. ``message_vi`` is the text shown to officers; ``code`` is stable for programs."""

    code = "worktime.error"

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


class CalendarRangeError(WorktimeError):
    """The instant lies outside the years the calendar has data for."""

    code = "worktime.calendar_range"


class CalendarDataError(WorktimeError):
    """A calendar, office-hours or decision file is malformed or inconsistent."""

    code = "worktime.calendar_data"


class ClockError(WorktimeError):
    """An operation on a dossier clock is not allowed."""

    code = "worktime.clock"


class ClockStateError(ClockError):
    """The operation does not fit the clock's current state (e.g. resubmission while running)."""

    code = "worktime.clock.state"


class EventOrderError(ClockError):
    """Events were recorded out of chronological order."""

    code = "worktime.clock.order"


class SupplementAfterDeadlineError(ClockError):
    """A supplement request was made after the processing deadline."""

    code = "worktime.clock.supplement_after_deadline"


class ExtensionAlreadyUsedError(ClockError):
    """A second extension was requested; the rules allow only one."""

    code = "worktime.clock.extension_already_used"


class ExtensionAfterDeadlineError(ClockError):
    """An extension was requested after the deadline had passed."""

    code = "worktime.clock.extension_after_deadline"


class InvalidExtensionError(ClockError):
    """The new appointment is not later than the current one."""

    code = "worktime.clock.invalid_extension"
