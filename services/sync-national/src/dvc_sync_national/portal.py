"""HTTP client of the national portal's synchronisation API (create, update, steps, query, inbound).

The portal answers `{error_code, message}` with HTTP 200 even when it rejects a record, so every
answer is read; only an outage (5xx, 429, a timeout, a refused connection) raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from opentelemetry import propagate

OK = "0"
DUPLICATE = "8"  # create of a dossier the portal already has


class PortalUnavailable(Exception):
    """The portal is down, overloaded or timed out: retry later."""


@dataclass(frozen=True)
class PortalAnswer:
    error_code: str
    message: str

    @property
    def ok(self) -> bool:
        return self.error_code == OK

    @property
    def duplicate(self) -> bool:
        return self.error_code == DUPLICATE


class PortalClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"X-API-Key": api_key},
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=20),
            transport=transport,  # tests: the sandbox's portal in process
        )

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        headers: dict[str, str] = {}
        propagate.inject(headers)  # the trace continues at the portal
        try:
            response = await self._client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise PortalUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PortalUnavailable(f"Cổng trả lời HTTP {response.status_code}")
        try:
            body: dict[str, Any] = response.json()
        except ValueError as exc:
            raise PortalUnavailable(f"Cổng trả lời không phải JSON (HTTP {response.status_code})") from exc
        if response.status_code in (401, 403):
            raise PortalUnavailable(f"Cổng từ chối xác thực: {body.get('message')}")
        return body

    async def _post(self, path: str, items: list[dict[str, Any]]) -> PortalAnswer:
        body = await self._call("POST", path, json=items)
        return PortalAnswer(str(body.get("error_code")), str(body.get("message", "")))

    async def create(self, records: list[dict[str, Any]]) -> PortalAnswer:
        return await self._post("/api/dossiers/create", records)

    async def update(self, records: list[dict[str, Any]]) -> PortalAnswer:
        return await self._post("/api/dossiers/update", records)

    async def steps(self, steps: list[dict[str, Any]]) -> PortalAnswer:
        return await self._post("/api/dossiers/steps", steps)

    async def query(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        """The portal's current record of each code it knows (unknown codes are absent)."""
        body = await self._call("POST", "/api/dossiers/query", json={"MaHoSo": codes})
        if str(body.get("error_code")) != OK:
            raise PortalUnavailable(f"Tra cứu thất bại: {body.get('message')}")
        return {item["MaHoSo"]: item for item in body.get("data", [])}

    async def inbound(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Dossiers submitted on the national portal after `after` (the portal's cursor), oldest first."""
        body = await self._call("GET", "/api/inbound", params={"after": after, "limit": limit})
        if str(body.get("error_code")) != OK:
            raise PortalUnavailable(f"Lấy hồ sơ từ Cổng thất bại: {body.get('message')}")
        items: list[dict[str, Any]] = body.get("data", [])
        return items

    async def close(self) -> None:
        await self._client.aclose()
