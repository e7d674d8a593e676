"""HTTP client of the national portal's synchronisation API."""

from __future__ import annotations

from typing import Any

import httpx
from dvc_common.broker import PermanentFailure
from opentelemetry import propagate


class PortalUnavailable(Exception):
    """The portal is down or timed out: retry later."""


class PortalRejected(PermanentFailure):
    """The portal answered with an error code: the record itself is wrong."""


class PortalClient:
    def __init__(self, base_url: str, api_key: str, timeout: float) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, headers={"X-API-Key": api_key}
        )

    async def sync_dossiers(self, records: list[dict[str, Any]]) -> str:
        headers: dict[str, str] = {}
        propagate.inject(headers)  # the trace continues at the portal
        try:
            response = await self._client.post("/api/dossiers/sync", json=records, headers=headers)
        except httpx.HTTPError as exc:
            raise PortalUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PortalUnavailable(f"portal answered HTTP {response.status_code}")
        body = response.json()
        if response.status_code != 200 or str(body.get("error_code")) != "0":
            raise PortalRejected(f"portal error_code {body.get('error_code')}: {body.get('message')}")
        return str(body.get("message", ""))

    async def close(self) -> None:
        await self._client.aclose()
