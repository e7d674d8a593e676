"""Calendar versions in force over time, so that an earlier deadline can still be explained."""

from __future__ import annotations

from collections.abc import Iterable

from .calendar import Calendar
from .days_off import Decision
from .errors import CalendarDataError


class CalendarRegistry:
    """Keeps every calendar version by id; loading a decision registers a new current version.

    The workflow service stores ``Computed.calendar_version`` with each deadline and the decision files
    it loaded; rebuilding the registry from them (same files, same order) gives the same version ids.
    """

    def __init__(self, initial: Calendar, others: Iterable[Calendar] = ()) -> None:
        self._by_version: dict[str, Calendar] = {}
        for calendar in (*others, initial):
            self._by_version[calendar.version] = calendar
        self._current = initial

    @property
    def current(self) -> Calendar:
        return self._current

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self._by_version)

    def get(self, version: str) -> Calendar:
        try:
            return self._by_version[version]
        except KeyError:
            raise CalendarDataError(f"Không tìm thấy phiên bản lịch làm việc {version!r}") from None

    def load_decision(self, decision: Decision) -> Calendar:
        """Apply ``decision`` to the current calendar; the result becomes current."""
        calendar = self._current.with_decision(decision)
        self._by_version[calendar.version] = calendar
        self._current = calendar
        return calendar
