"""Client of the national population database (Cơ sở dữ liệu quốc gia về dân cư): look-up by ID."""

from __future__ import annotations

from typing import Any

import httpx


class PopulationUnavailable(Exception):
    """The database did not answer, or answered something other than found / not found."""


class PopulationDatabase:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str, api_key: str) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key

    async def citizen(self, personal_id: str) -> dict[str, Any] | None:
        """The citizen's record as the database holds it; None when it has no such citizen."""
        try:
            response = await self._http.get(
                f"{self._base_url}/api/citizens/{personal_id}", headers={"X-API-Key": self._api_key}
            )
        except httpx.HTTPError as exc:
            raise PopulationUnavailable(type(exc).__name__) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise PopulationUnavailable(f"answered {response.status_code}")
        body: dict[str, Any] = response.json()
        return body
