"""The simulated national portal's memory: every dossier version and step received, in order, the
dossiers citizens submitted on the portal itself, and the switches tests use to make it misbehave."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dvc_common import clock

Record = dict[str, Any]


def _now() -> str:
    return clock.now().isoformat()


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


@dataclass
class Fault:
    """A dossier the portal rejects with `error_code` (`times` more times; None: until cleared)."""

    error_code: str
    message: str
    times: int | None


class PortalStore:
    """Process-local state; handlers never await while changing it, so no lock is needed."""

    def __init__(self) -> None:
        self._dossiers: dict[str, DossierHistory] = {}
        self.down = False
        self.latency_seconds = 0.0
        self.refused_while_down = 0
        self.calls: dict[str, int] = {}
        self.faults: dict[str, Fault] = {}
        self.submissions: list[Record] = []

    def count(self, kind: str) -> None:
        self.calls[kind] = self.calls.get(kind, 0) + 1

    def sync(self, records: list[Record]) -> None:
        for record in records:
            self._link_submission(record)
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

    def current(self, code: str) -> Record | None:
        history = self._dossiers.get(code)
        return history.versions[-1].payload if history else None

    def codes(self) -> list[str]:
        return list(self._dossiers)

    def fault_for(self, code: str) -> Fault | None:
        """The fault to answer for `code` now (consuming one of its `times`)."""
        fault = self.faults.get(code)
        if fault is None:
            return None
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                del self.faults[code]
        return fault

    def submit(self, submission: Record) -> Record:
        cursor = len(self.submissions) + 1
        stored = {**submission, "cursor": cursor}
        stored.setdefault("MaHoSoQG", f"QG-{clock.now():%y%m%d}-{cursor:06d}")
        self.submissions.append(stored)
        return stored

    def _link_submission(self, record: Record) -> None:
        """A dossier submitted here comes back with the province's code: the two are linked."""
        reference = record.get("MaHoSoQG")
        for submission in self.submissions if reference else ():
            if submission["MaHoSoQG"] == reference:
                submission["MaHoSo"] = record["MaHoSo"]

    def submissions_after(self, after: int, limit: int) -> list[Record]:
        return self.submissions[max(after, 0) : max(after, 0) + limit]

    def reset(self) -> None:
        self._dossiers.clear()
        self.refused_while_down = 0
        self.calls.clear()
        self.faults.clear()
        self.latency_seconds = 0.0
