"""A fixed-window rate limit per client (the public look-ups of intake and workflow): pure, the clock is passed in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    per_window: int
    window_seconds: float = 60.0
    max_clients: int = 100_000
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)

    def allow(self, client: str, now: float) -> float | None:
        """None when the request may go ahead; otherwise the seconds until the client may retry."""
        start, count = self._windows.get(client, (now, 0))
        if now - start >= self.window_seconds:
            start, count = now, 0
        if count >= self.per_window:
            return max(0.0, start + self.window_seconds - now)
        if len(self._windows) >= self.max_clients and client not in self._windows:
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window_seconds}
        self._windows[client] = (start, count + 1)
        return None
