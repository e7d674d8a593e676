"""Producer order: an event waits for the earlier events of its producer and subject.

Each producer numbers its events per subject (1, 2, 3 … with no gaps, internal events included), so
the event log, which sees every event of every producer, knows when one is missing: a retry or a
second replica overtook it. The later event waits (is retried) until the missing one is recorded,
or until it is older than the wait limit (an event that will never come: recorded anyway).
Copies of one event are already dropped by the inbox (same id), so a number at or below the last
one recorded is a new event from a producer whose counter went back (a restored database): it is
recorded too, never dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum


class Arrival(Enum):
    NEXT = "next"  # the one expected: record it
    BEHIND = "behind"  # the producer's counter went back: record it, keep the progress
    EARLY = "early"  # an earlier one is missing: wait for it
    LATE_GAP = "late_gap"  # an earlier one is missing but waited long enough: record it anyway


def arrival(last: int, sequence: int, *, sent_at: datetime, now: datetime, wait: timedelta) -> Arrival:
    if sequence <= last:
        return Arrival.BEHIND
    if sequence == last + 1:
        return Arrival.NEXT
    return Arrival.LATE_GAP if now - sent_at >= wait else Arrival.EARLY
