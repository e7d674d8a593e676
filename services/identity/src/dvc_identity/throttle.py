"""Failed logins per client address, counted in identity's database so every replica sees them
(dvc_common.ratelimit); accounts also lock in the DB. The address is the one behind the trusted
proxies only (`deps.origin_of`), so a forged X-Forwarded-For does not give a fresh allowance."""

from __future__ import annotations

from dvc_common.ratelimit import Connect, Limit, SharedRateLimiter


class AddressThrottle:
    def __init__(self, connect: Connect, limit: int, window_seconds: float) -> None:
        self._limiter = SharedRateLimiter(connect)
        self._limit = limit
        self._window = window_seconds

    def _key(self, address: str) -> Limit:
        return Limit(f"login-failures:{address}", self._limit, self._window)

    async def retry_after(self, address: str) -> int | None:
        """Seconds to wait when `address` has used up its failures, else None."""
        wait = await self._limiter.exceeded(self._key(address))
        return None if wait is None else max(1, int(wait) + 1)

    async def failed(self, address: str) -> None:
        await self._limiter.hit([self._key(address)])
