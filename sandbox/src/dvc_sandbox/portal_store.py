"""The simulated national portal's memory: every dossier version and step received, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Record = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Received:
    received_at: str
    payload: Record


@dataclass
class DossierHistory:
    versions: list[Received] = field(default_factory=list)
    steps: list[Received] = field(default_factory=list)

    def as_json(self, code: str) -> Record:
        return {
            "MaHoSo": code,
            "current": self.versions[-1].payload,
            "history": [{"received_at": v.received_at, "record": v.payload} for v in self.versions],
            "steps": [{"received_at": s.received_at, "step": s.payload} for s in self.steps],
        }


class PortalStore:
    """Process-local state; handlers never await while changing it, so no lock is needed."""

    def __init__(self) -> None:
        self._dossiers: dict[str, DossierHistory] = {}
        self.down = False
        self.refused_while_down = 0

    def sync(self, records: list[Record]) -> None:
        for record in records:
            self._dossiers.setdefault(record["MaHoSo"], DossierHistory()).versions.append(
                Received(_now(), record)
            )

    def knows(self, code: str) -> bool:
        return code in self._dossiers

    def add_steps(self, steps: list[Record]) -> None:
        for step in steps:
            self._dossiers[step["MaHoSo"]].steps.append(Received(_now(), step))

    def get(self, code: str) -> Record | None:
        history = self._dossiers.get(code)
        return history.as_json(code) if history else None

    def codes(self) -> list[str]:
        return list(self._dossiers)

    def reset(self) -> None:
        self._dossiers.clear()
        self.refused_while_down = 0
