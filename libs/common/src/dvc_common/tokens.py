"""Local verification of identity's access tokens (JWT signed with keys published at its JWKS).

Every service verifies tokens itself: no call to identity per request. Keys are fetched from the
JWKS endpoint once and again only when a token names a key id we do not hold (key rotation),
at most once per `refresh_interval`.

Access tokens live minutes, which is not "at once" for a locked or moved officer. Identity publishes
`officer.locked.v1` / `officer.upserted.v1` with the instant from which earlier tokens are void; a
consuming service keeps those instants in a `Denylist` (fed by `Denylist.apply_event`) and passes
`revoked=denylist.revoked` to its `TokenVerifier`. The check stays local: a dictionary look-up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

import httpx
import jwt

from dvc_common import clock
from dvc_common.principal import Principal
from dvc_common.settings import ServiceSettings

ALGORITHMS = ["ES256", "RS256", "EdDSA"]


def check_token_times(claims: dict[str, Any], *, leeway: float, now: float | None = None) -> None:
    """`exp`, `iat` and `nbf` against the system clock (PyJWT's rules and errors).

    PyJWT would check them against the wall clock, so callers decode with `verify_exp`, `verify_iat`
    and `verify_nbf` off and call this: a token issued on a training clock lives its lifetime there.
    """
    at = clock.timestamp() if now is None else now
    try:
        exp = int(claims["exp"]) if "exp" in claims else None
        iat = int(claims["iat"]) if "iat" in claims else None
        nbf = int(claims["nbf"]) if "nbf" in claims else None
    except (ValueError, TypeError, OverflowError):
        raise jwt.DecodeError("exp, iat and nbf must be integers") from None
    if exp is not None and exp <= at - leeway:
        raise jwt.ExpiredSignatureError("Signature has expired")
    if iat is not None and iat > at + leeway:
        raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")
    if nbf is not None and nbf > at + leeway:
        raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    kind = claims.get("kind")
    if kind not in ("officer", "citizen", "organisation"):
        raise jwt.InvalidTokenError("unknown principal kind")
    return Principal(
        subject=str(claims["sub"]),
        kind=kind,
        name=claims.get("name"),
        agency_id=claims.get("agency"),
        roles=frozenset(str(r) for r in claims.get("roles", ())),
        position=claims.get("position"),
        token_id=claims.get("jti"),
        issued_at=float(claims["iat"]) if isinstance(claims.get("iat"), int | float) else None,
    )


RevocationCheck = Callable[[Principal], Coroutine[Any, Any, bool]]


class Denylist:
    """Subjects whose tokens issued at or before an instant are void (locked or moved officers).

    Keyed by subject; only the latest instant matters, so the map stays as small as the number of
    officers ever locked or changed. A token issued after the instant (a fresh login once unlocked)
    passes again.
    """

    def __init__(self) -> None:
        self._void_until: dict[str, float] = {}

    def void_before(self, subject: str, instant: datetime) -> None:
        stamp = instant.timestamp()
        if stamp > self._void_until.get(subject, float("-inf")):
            self._void_until[subject] = stamp

    async def revoked(self, principal: Principal) -> bool:
        until = self._void_until.get(principal.subject)
        if until is None:
            return False
        return principal.issued_at is None or principal.issued_at <= until

    def apply_event(self, routing_key: str, data: dict[str, Any]) -> None:
        """Feed `officer.locked.v1` and `officer.upserted.v1` payloads (other events are ignored)."""
        if routing_key == "officer.locked.v1":
            self.void_before(str(data["officer_id"]), _instant(data["locked_at"]))
        elif routing_key == "officer.upserted.v1" and data.get("tokens_valid_after"):
            self.void_before(str(data["officer_id"]), _instant(data["tokens_valid_after"]))


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


class TokenVerifier:
    def __init__(
        self,
        jwks_url: str,
        *,
        issuer: str,
        audience: str,
        leeway_seconds: int = 30,
        refresh_interval: float = 30.0,
        fetch: Callable[[str], Coroutine[Any, Any, dict[str, Any]]] | None = None,
        revoked: RevocationCheck | None = None,
    ) -> None:
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._refresh_interval = refresh_interval
        self._fetch = fetch or _fetch_json
        self._revoked = revoked
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def _key(self, kid: str) -> jwt.PyJWK:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= self._refresh_interval:
                document = await self._fetch(self._jwks_url)
                self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys if k.key_id}
                self._fetched_at = time.monotonic()
        if kid not in self._keys:
            raise jwt.InvalidTokenError("unknown signing key")
        return self._keys[kid]

    async def verify(self, token: str) -> Principal:
        """The token's principal; raises jwt.InvalidTokenError for anything not exactly right."""
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise jwt.InvalidTokenError("token has no key id")
        key = await self._key(kid)
        claims = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=self._audience,
            issuer=self._issuer,
            options={
                "require": ["exp", "iat", "sub", "iss", "aud"],
                "verify_exp": False,  # against the system clock below
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        check_token_times(claims, leeway=self._leeway)
        principal = principal_from_claims(claims)
        if self._revoked is not None and await self._revoked(principal):
            raise jwt.InvalidTokenError("token revoked")
        return principal


def verifier_for(settings: ServiceSettings, **options: Any) -> TokenVerifier:
    """The verifier a service uses, from its settings (jwks_url, token_issuer, token_audience)."""
    return TokenVerifier(
        settings.jwks_url, issuer=settings.token_issuer, audience=settings.token_audience, **options
    )


async def _fetch_json(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(url)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document
