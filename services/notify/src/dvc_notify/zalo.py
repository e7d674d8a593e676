"""A client of the Zalo OA APIs: refresh the access token with the (single-use) refresh token, send ZNS.

Tokens are kept in the database (one row, locked while refreshing), so replicas share them and a
refresh token Zalo has just rotated is never lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_notify.domain.deliveries import Outcome, Permanent, Sent, Transient
from dvc_notify.repository import NotifyRepository

log = logging.getLogger(__name__)

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]

# ZNS error answers (`error` ≠ 0) and what they mean for a delivery.
TOKEN_INVALID = -124
RATE_LIMITED = -32
PERMANENT_ERRORS: dict[int, str] = {
    -213: "not_following_oa",
    -108: "invalid_phone",
    -117: "template_not_approved",
    -112: "template_data_invalid",
    -118: "zalo_account_not_found",
    -119: "zalo_account_cannot_receive",
}


class TokenRefreshFailed(Exception):
    pass


@dataclass(frozen=True)
class ZaloConfig:
    oauth_url: str
    zns_url: str
    app_id: str
    secret_key: str
    refresh_token: str
    timeout: float = 10.0


class ZaloClient:
    def __init__(
        self, config: ZaloConfig, transaction: Transaction, http: httpx.AsyncClient | None = None
    ) -> None:
        self._config = config
        self._transaction = transaction
        self._http = http or httpx.AsyncClient(timeout=config.timeout)
        self._access: str | None = None
        self._expires_at = datetime.min.replace(tzinfo=UTC)
        self._lock = asyncio.Lock()
        self.refreshes = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _token(self, *, stale: str | None = None) -> str:
        now = clock.now()
        if _usable(self._access, self._expires_at, stale, now):
            assert self._access is not None
            return self._access
        async with self._lock:
            if _usable(self._access, self._expires_at, stale, clock.now()):
                assert self._access is not None
                return self._access
            async with self._transaction() as session:
                repo = NotifyRepository(session)
                row = await repo.zalo_token_for_update(self._config.refresh_token)
                if _usable(row.access_token, row.expires_at, stale, now):  # another replica refreshed it
                    assert row.access_token is not None and row.expires_at is not None
                    self._access, self._expires_at = row.access_token, row.expires_at
                    return row.access_token
                tokens = await self._refresh(row.refresh_token)
                expires_at = now + timedelta(seconds=max(int(tokens["expires_in"]) - 60, 30))
                await repo.save_zalo_token(tokens["access_token"], tokens["refresh_token"], expires_at)
            self._access, self._expires_at = tokens["access_token"], expires_at
            return self._access

    async def _refresh(self, stored: str) -> dict[str, Any]:
        # The stored token is the newest Zalo gave us; the configured one is what an operator pasted.
        candidates = [t for t in dict.fromkeys((stored, self._config.refresh_token)) if t]
        last = "no refresh token"
        for refresh_token in candidates:
            response = await self._http.post(
                self._config.oauth_url,
                headers={"secret_key": self._config.secret_key},
                data={
                    "app_id": self._config.app_id,
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                },
            )
            body = response.json() if response.status_code == 200 else {}
            if body.get("access_token") and body.get("refresh_token"):
                self.refreshes += 1
                log.info("zalo access token refreshed")
                return dict(body)
            last = f"HTTP {response.status_code} {body.get('error')} {body.get('error_name', response.text[:200])}"
        raise TokenRefreshFailed(last)

    async def send(self, phone: str, template_id: str, data: dict[str, str], tracking_id: str) -> Outcome:
        body = {"phone": phone, "template_id": template_id, "template_data": data, "tracking_id": tracking_id}
        stale: str | None = None
        for _ in range(2):  # once more after refreshing an expired token
            try:
                token = await self._token(stale=stale)
                response = await self._http.post(
                    self._config.zns_url, headers={"access_token": token}, json=body
                )
            except TokenRefreshFailed as exc:
                return Transient(f"không làm mới được access token Zalo: {exc}")
            except httpx.HTTPError as exc:
                return Transient(f"{type(exc).__name__}: {exc}")
            outcome = zns_outcome(response)
            if outcome is not None:
                return outcome
            stale = token  # the access token was refused: refresh it and try once more
        return Transient("access token Zalo vẫn bị từ chối sau khi làm mới")


def _usable(access: str | None, expires_at: datetime | None, stale: str | None, now: datetime) -> bool:
    """An access token we have, that Zalo did not just refuse, and that has not expired."""
    return bool(access) and access != stale and expires_at is not None and expires_at > now


def zns_outcome(response: httpx.Response) -> Outcome | None:
    """What a ZNS answer means for the delivery; None when the access token was refused."""
    if response.status_code >= 500 or response.status_code == 429:
        return Transient(f"HTTP {response.status_code}", counts=response.status_code != 429)
    try:
        answer = response.json()
    except ValueError:
        return Transient(f"HTTP {response.status_code}: {response.text[:200]}")
    error = int(answer.get("error", -1))
    text = f"{error} {answer.get('message', '')}".strip()
    if error == 0:
        return Sent(f"msg_id={answer.get('data', {}).get('msg_id')}")
    if error == TOKEN_INVALID:
        return None
    if error == RATE_LIMITED:
        return Transient(text, counts=False)
    if error in PERMANENT_ERRORS:
        return Permanent(PERMANENT_ERRORS[error], text)
    return Transient(text)
