"""One HTTP client per service the portal calls; a refusal becomes `Refused`, an outage `PageError`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from dvc_portal import errors


class ServiceApi:
    def __init__(
        self, name: str, base_url: str, timeout: float, transport: httpx.AsyncBaseTransport | None = None
    ):
        self.name = name
        self.http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)

    async def close(self) -> None:
        await self.http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        client: str | None = None,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        try:
            response = await self.http.request(
                method,
                path,
                json=json_body,
                params={k: v for k, v in (params or {}).items() if v not in (None, "")},
                headers=headers(token, client),
            )
        except httpx.HTTPError as exc:
            raise errors.unavailable(self.name) from exc
        if response.status_code >= 400 and response.status_code != 302:
            raise refusal(response)
        return response

    async def json(self, method: str, path: str, **options: Any) -> Any:
        response = await self.request(method, path, **options)
        return response.json() if response.content else None

    async def open_stream(self, path: str, *, token: str) -> httpx.Response:
        """A download to pass through as it arrives (documents can be large); the caller closes it."""
        request = self.http.build_request("GET", path, headers=headers(token, None))
        try:
            response = await self.http.send(request, stream=True, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise errors.unavailable(self.name) from exc
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            raise refusal(response)
        return response


def headers(token: str | None, client: str | None) -> dict[str, str]:
    sent = {"Accept": "application/json"}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if client:
        # The visitor's address, for the services' per-client limits (believed only from a trusted proxy).
        sent["X-Forwarded-For"] = client
    return sent


def refusal(response: httpx.Response) -> errors.Refused:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    title = str(body.get("title") or "Không thực hiện được")
    detail = body.get("detail")
    if not isinstance(detail, str):
        detail = "Dịch vụ không chấp nhận yêu cầu."
    return errors.Refused(response.status_code, title, detail, body)
