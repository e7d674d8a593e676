"""Which of a dossier's recorded changes may go to the portal now, so it never sees them out of order.

Changes are ordered by the event `sequence` (per source and dossier, strictly increasing); a change
is sendable only when its `previous_status` is the status the portal has, so a change whose
predecessor has not arrived yet waits for it. A change at or below the last synced sequence is
stale (a late redelivery) and never sent: it would move the national record backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar


class Change(Protocol):
    @property
    def sequence(self) -> int: ...

    @property
    def status(self) -> int: ...

    @property
    def previous_status(self) -> int | None: ...


C = TypeVar("C", bound=Change)


@dataclass(frozen=True)
class Plan(Generic[C]):
    send: list[C] = field(default_factory=list)
    stale: list[C] = field(default_factory=list)
    waiting: list[C] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """Something waits for an earlier change that has not arrived."""
        return bool(self.waiting) and not self.send


def plan(
    synced_status: int | None,
    synced_sequence: int,
    pending: Sequence[C],
    *,
    limit: int = 1_000,
    force: bool = False,
) -> Plan[C]:
    """Split `pending` into what to send now (in order), what is stale and what must wait.

    `force` (an operator's resend) accepts the first pending change even when the chain is broken,
    for a dossier whose earlier status was lost for good.
    """
    result: Plan[C] = Plan()
    current = synced_status
    last = synced_sequence
    for change in sorted(pending, key=lambda c: c.sequence):
        if change.sequence <= last:
            result.stale.append(change)
            continue
        chained = change.previous_status == current or (force and not result.send)
        if result.waiting or not chained or len(result.send) >= limit:
            result.waiting.append(change)
            continue
        result.send.append(change)
        current = change.status
    return result
