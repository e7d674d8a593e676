"""Whose dossier a counter or postal dossier is: the identifier the one-stop officer gives (CCCD /
personal identification number, organisation code) resolved by identity's
`POST /api/v1/citizens/resolve`, called over HTTP with the officer's own bearer token (contract K2).
A wrong identifier is refused, never silently kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Protocol

import httpx

log = logging.getLogger(__name__)

OwnerKind = Literal["citizen", "organisation"]


@dataclass(frozen=True)
class ResolvedOwner:
    subject: str  # identity's subject of the citizen or organisation (their VNeID account)
    name: str


class OwnerUnknown(Exception):
    """Nobody has that identifier (identity's 404)."""


class OwnerIdentifierInvalid(Exception):
    """The identifier is malformed (identity's 422)."""


class IdentityUnavailable(Exception):
    """Identity did not answer usably; nothing is filed."""


class OwnerResolver(Protocol):
    async def resolve(self, identifier: str, kind: OwnerKind, authorization: str) -> ResolvedOwner: ...


class IdentityOwners:
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.url = base_url.rstrip("/") + "/api/v1/citizens/resolve"
        self.timeout = timeout

    async def resolve(self, identifier: str, kind: OwnerKind, authorization: str) -> ResolvedOwner:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(
                    self.url,
                    json={"identifier": identifier, "kind": kind},
                    headers={"Authorization": authorization},
                )
        except httpx.HTTPError as exc:
            raise IdentityUnavailable(str(exc)) from exc
        if response.status_code == 404:
            raise OwnerUnknown(identifier)
        if response.status_code == 422:
            raise OwnerIdentifierInvalid(identifier)
        if response.status_code != 200:
            log.warning("identity refused to resolve an owner", extra={"status": response.status_code})
            raise IdentityUnavailable(f"identity answered {response.status_code}")
        try:
            body = response.json()
            return ResolvedOwner(str(body["subject"]), str(body.get("name") or ""))
        except (ValueError, KeyError, TypeError) as exc:
            raise IdentityUnavailable("identity's answer has no subject") from exc
