"""Failed logins per client address in a sliding window (per replica; accounts also lock in the DB)."""

from __future__ import annotations

import time
from collections import deque


class AddressThrottle:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self._limit = limit
        self._window = window_seconds
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        stamps = self._failures.setdefault(address, deque())
        while stamps and stamps[0] <= now - self._window:
            stamps.popleft()
        return stamps

    def retry_after(self, address: str) -> int | None:
        """Seconds to wait when `address` has used up its failures, else None."""
        now = time.monotonic()
        stamps = self._recent(address, now)
        if len(stamps) < self._limit:
            if not stamps:
                self._failures.pop(address, None)
            return None
        return max(1, int(stamps[0] + self._window - now) + 1)

    def failed(self, address: str) -> None:
        self._recent(address, time.monotonic()).append(time.monotonic())
