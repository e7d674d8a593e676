"""Producer order: an event waits for the earlier events of its producer and subject.

Each producer numbers its events per subject (1, 2, 3 … with no gaps, internal events included), so
the event log, which sees every event of every producer, knows when one is missing: a retry or a
second replica overtook it. The later event waits (is retried) until the missing one is recorded,
or until it is older than the wait limit (an event that will never come: recorded anyway).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum


class Arrival(Enum):
    NEXT = "next"  # the one expected: record it
    SEEN = "seen"  # its number was already recorded (a copy with another id): skip it
    EARLY = "early"  # an earlier one is missing: wait for it
    LATE_GAP = "late_gap"  # an earlier one is missing but waited long enough: record it anyway


def arrival(last: int, sequence: int, *, sent_at: datetime, now: datetime, wait: timedelta) -> Arrival:
    if sequence <= last:
        return Arrival.SEEN
    if sequence == last + 1:
        return Arrival.NEXT
    return Arrival.LATE_GAP if now - sent_at >= wait else Arrival.EARLY
