"""A portal session's clocks (pure): when it ends, when its access token must be renewed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

# Renew this long before the access token expires, so that a call made now never carries a token
# that expires on its way to the service.
REFRESH_MARGIN = timedelta(seconds=30)


def new_session_id() -> str:
    """What the browser keeps in its cookie; the database keeps only its hash."""
    return secrets.token_urlsafe(32)


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenClock:
    access_expires_at: datetime
    refresh_expires_at: datetime

    @classmethod
    def issued(cls, now: datetime, expires_in: int, refresh_expires_in: int) -> TokenClock:
        return cls(now + timedelta(seconds=expires_in), now + timedelta(seconds=refresh_expires_in))

    def needs_refresh(self, now: datetime, margin: timedelta = REFRESH_MARGIN) -> bool:
        return now >= self.access_expires_at - margin

    def refreshable(self, now: datetime) -> bool:
        return now < self.refresh_expires_at


def idle_expiry(now: datetime, idle: timedelta, absolute_end: datetime) -> datetime:
    """A session ends after `idle` without use, and never later than its absolute end."""
    return min(now + idle, absolute_end)
