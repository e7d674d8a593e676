"""A computed instant together with the rule, the calendar version and a readable explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from .explain import Note


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Computed:
    """An instant computed by the engine.

    ``rule`` is a stable machine code (e.g. ``appointment.working_days``), ``calendar_version`` the
    version of the calendar in force, and ``explanation`` Vietnamese text for slips and the officer UI,
    e.g. "Tiếp nhận lúc 15:20 Thứ Sáu 13/02/2026, sau 15:00 nên tính từ 07:00 ngày làm việc tiếp theo
    (Thứ Hai 23/02/2026); cộng 5 ngày làm việc; bỏ qua nghỉ Tết Nguyên Đán 16–20/02/2026; ...".
    """

    instant: datetime
    rule: str
    calendar_version: str
    notes: tuple[Note, ...] = field(default=(), compare=False, repr=False)

    @cached_property
    def _texts(self) -> tuple[str, ...]:
        return tuple(text for text in (note.text() for note in self.notes) if text)

    @cached_property
    def explanation_lines(self) -> tuple[str, ...]:
        """One capitalised sentence per step, for lists in the officer UI."""
        return tuple(_capitalise(text) for text in self._texts)

    @cached_property
    def explanation(self) -> str:
        """The whole explanation as one Vietnamese sentence, for slips."""
        return _capitalise("; ".join(self._texts))

    def as_record(self) -> dict[str, Any]:
        """JSON-ready record for storage next to the deadline (engineering rule: time is computed)."""
        return {
            "instant": self.instant.isoformat(),
            "rule": self.rule,
            "calendar_version": self.calendar_version,
            "explanation": self.explanation,
        }
