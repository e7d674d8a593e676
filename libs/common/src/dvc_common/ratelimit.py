"""Rate limits.

`SharedRateLimiter`: fixed-window counters in the service's own PostgreSQL (table
`rate_limit_counter`, a platform migration), so every replica draws on one budget. A key's window
opens at its first hit, on the database's clock which all replicas share (not aligned on the wall
clock: a burst is never split across two windows, so N hits in a row count as N). `ClientLimiter` is the public look-ups'
use of it: a budget per client address (`dvc_common.client_address`: X-Forwarded-For believed only
from trusted proxies) and one for everybody, so walking sequential dossier codes from many
addresses is as expensive as from one. `SharedBudget` is a provider's send rate (notify): callers
wait for their turn. `RateLimiter` is the pure in-process window (one process, e.g. a tool).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

Connect = Callable[[], AbstractAsyncContextManager[Any]]
"""Opens one short transaction: `engine.begin` or a service's `runtime.transaction`."""


@dataclass(frozen=True)
class Limit:
    """At most `per_window` hits of `key` per aligned window of `window_seconds`."""

    key: str
    per_window: int
    window_seconds: float = 60.0


_HIT = text(
    """
    INSERT INTO rate_limit_counter AS c (key, window_end, hits)
    VALUES (:key, now() + make_interval(secs => CAST(:w AS double precision)), 1)
    ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN c.window_end <= now() THEN 1 ELSE c.hits + 1 END,
        window_end = CASE WHEN c.window_end <= now() THEN EXCLUDED.window_end ELSE c.window_end END
    RETURNING hits, extract(epoch FROM window_end - now())
    """
)
_PEEK = text(
    """
    SELECT hits, extract(epoch FROM window_end - clock_timestamp()) FROM rate_limit_counter
    WHERE key = :key AND window_end > clock_timestamp()
    """
)
_PURGE = text("DELETE FROM rate_limit_counter WHERE window_end < clock_timestamp()")


class SharedRateLimiter:
    """Counters shared by every replica of a service (its database)."""

    def __init__(self, connect: Connect, *, purge_every: int = 1000) -> None:
        self._connect = connect
        self._purge_every = purge_every
        self._hits = 0

    async def hit(self, limits: Sequence[Limit]) -> float | None:
        """Counts one hit against each limit in order, stopping at the first one used up (so a
        client over its own budget does not eat the global one). None: go ahead; otherwise the
        seconds until a retry may succeed."""
        async with self._connect() as db:
            for limit in limits:
                hits, remaining = (
                    await db.execute(_HIT, {"key": limit.key, "w": limit.window_seconds})
                ).one()
                if hits > limit.per_window:
                    return max(0.0, float(remaining))
            self._hits += 1
            if self._hits % self._purge_every == 0:
                await db.execute(_PURGE)
        return None

    async def exceeded(self, limit: Limit) -> float | None:
        """Without counting: the seconds to wait when `limit` is used up in this window, else None."""
        async with self._connect() as db:
            row = (await db.execute(_PEEK, {"key": limit.key})).first()
        if row is None or row[0] < limit.per_window:
            return None
        return max(0.0, float(row[1]))


@dataclass(frozen=True)
class ClientLimiter:
    """A named budget per client and one for all clients together (per window)."""

    limiter: SharedRateLimiter
    name: str
    per_client: int
    overall: int
    window_seconds: float = 60.0

    async def allow(self, client: str) -> float | None:
        """None when `client` may go ahead; otherwise the seconds until it may retry."""
        return await self.limiter.hit(
            [
                Limit(f"{self.name}:client:{client}", self.per_client, self.window_seconds),
                Limit(f"{self.name}:all", self.overall, self.window_seconds),
            ]
        )


def lookup_limiter(connect: Connect, name: str, per_client_per_minute: int) -> ClientLimiter:
    """The public look-up's limiter: `per_client_per_minute` per address, and 50 times that for
    everybody together (a crawler spreading over addresses meets the overall budget)."""
    return ClientLimiter(SharedRateLimiter(connect), name, per_client_per_minute, 50 * per_client_per_minute)


class SharedBudget:
    """A send rate shared by every replica (notify's providers): `acquire` waits for a slot."""

    def __init__(self, connect: Connect, key: str, rate_per_second: float) -> None:
        self.rate = rate_per_second
        window = max(1.0, 1.0 / rate_per_second) if rate_per_second > 0 else 1.0
        self._limit = Limit(key, max(1, round(rate_per_second * window)), window)
        self._limiter = SharedRateLimiter(connect)

    async def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            wait = await self._limiter.hit([self._limit])
            if wait is None:
                return
            await asyncio.sleep(max(wait, 0.01))  # the slot frees when the database's window turns


@dataclass
class RateLimiter:
    """A fixed window per client in this process only: pure, the clock is passed in."""

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
