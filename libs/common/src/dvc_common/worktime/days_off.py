"""Days off and official decisions as data: parsing of yearly holiday files and decision files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import CalendarDataError


@dataclass(frozen=True, slots=True)
class DayOff:
    """A non-working day that would otherwise be a working day (public holiday, decreed day off)."""

    day: date
    name: str
    group: str
    source: str


@dataclass(frozen=True, slots=True)
class SwappedWorkingDay:
    """A day that becomes a working day by an official decision (e.g. a Saturday worked in exchange)."""

    day: date
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class Decision:
    """An official yearly decision: extra days off and swapped working days.

    A decision overrides the generated holiday data: its days off are added, and its working days are
    working even if they fall on a weekend or on a generated holiday.
    """

    id: str
    reference: str
    days_off: tuple[DayOff, ...]
    working_days: tuple[SwappedWorkingDay, ...]
    title: str = ""

    def canonical(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "days_off": [[d.day.isoformat(), d.name, d.group] for d in self.days_off],
            "working_days": [[w.day.isoformat(), w.reason] for w in self.working_days],
        }


def _as_mapping(raw: str | bytes | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return raw
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise CalendarDataError(f"Tệp {what} không phải JSON hợp lệ: {exc}") from exc
    if not isinstance(data, Mapping):
        raise CalendarDataError(f"Tệp {what} phải là một đối tượng JSON")
    return data


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CalendarDataError(f"Ngày không hợp lệ trong {what}: {value!r} (định dạng YYYY-MM-DD)") from exc


def parse_decision(raw: str | bytes | Mapping[str, Any]) -> Decision:
    """Parse a decision file (JSON text or an already decoded mapping).

    Format::

        {"id": "...", "reference": "Công văn số .../VPCP-KGVX", "title": "...",
         "days_off": [{"date": "2024-04-29", "name": "...", "group": "..."}],
         "working_days": [{"date": "2024-05-04", "reason": "..."}]}
    """
    data = _as_mapping(raw, "quyết định")
    try:
        decision_id = str(data["id"]).strip()
        reference = str(data["reference"]).strip()
    except KeyError as exc:
        raise CalendarDataError(f"Tệp quyết định thiếu trường {exc.args[0]!r}") from exc
    if not decision_id or not reference:
        raise CalendarDataError("Tệp quyết định phải có mã (id) và số hiệu văn bản (reference)")
    days_off = tuple(
        DayOff(
            day=_date(item["date"], decision_id),
            name=str(item.get("name", "Ngày nghỉ theo quyết định")),
            group=str(item.get("group", item.get("name", "Ngày nghỉ theo quyết định"))),
            source=reference,
        )
        for item in data.get("days_off", [])
    )
    working_days = tuple(
        SwappedWorkingDay(
            day=_date(item["date"], decision_id),
            reason=str(item.get("reason", "Ngày làm việc bù")),
            source=reference,
        )
        for item in data.get("working_days", [])
    )
    clash = {d.day for d in days_off} & {w.day for w in working_days}
    if clash:
        first = min(clash)
        raise CalendarDataError(
            f"Ngày {first:%d/%m/%Y} vừa là ngày nghỉ vừa là ngày làm việc trong {decision_id}"
        )
    if not days_off and not working_days:
        raise CalendarDataError(f"Quyết định {decision_id} không có ngày nghỉ hay ngày làm việc bù nào")
    return Decision(
        id=decision_id,
        reference=reference,
        days_off=days_off,
        working_days=working_days,
        title=str(data.get("title", "")),
    )


def parse_year_file(raw: str | bytes | Mapping[str, Any]) -> tuple[int, tuple[DayOff, ...]]:
    """Parse a generated yearly holiday file: ``{"year": 2026, "source": "...", "days_off": [...]}``."""
    data = _as_mapping(raw, "ngày lễ")
    year = int(data["year"])
    source = str(data.get("source", f"Ngày lễ năm {year}"))
    days = tuple(
        DayOff(
            day=_date(item["date"], f"năm {year}"),
            name=str(item["name"]),
            group=str(item.get("group", item["name"])),
            source=source,
        )
        for item in data.get("days_off", [])
    )
    for item in days:
        if item.day.year != year:
            raise CalendarDataError(f"Ngày {item.day:%d/%m/%Y} không thuộc năm {year}")
    return year, days
