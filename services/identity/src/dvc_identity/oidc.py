"""VNeID client (OpenID Connect authorization code flow with PKCE).

Nothing VNeID says is trusted until the ID token's signature (a key from VNeID's JWKS), issuer
(exactly the configured one), audience (our client id), nonce (the one we stored for this login) and
expiry all check out.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from dvc_common.tokens import check_token_times

ID_TOKEN_ALGORITHMS = ["ES256", "RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "nonce"]


class VneidError(Exception):
    """VNeID refused, failed, or said something we cannot trust."""


class VneidClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        leeway_seconds: int = 30,
    ) -> None:
        self._http = http
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self._leeway = leeway_seconds
        self._discovery: dict[str, Any] | None = None
        self._keys: dict[str, jwt.PyJWK] = {}

    async def discovery(self) -> dict[str, Any]:
        if self._discovery is None:
            document = await self._get_json(self.issuer + "/.well-known/openid-configuration")
            if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                raise VneidError("discovery document names another issuer")
            self._discovery = document
        return self._discovery

    async def authorize_url(self, *, state: str, nonce: str, code_challenge: str) -> str:
        endpoint = str((await self.discovery())["authorization_endpoint"])
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid profile",
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}?{query}"

    async def exchange(self, code: str, code_verifier: str) -> dict[str, Any]:
        endpoint = str((await self.discovery())["token_endpoint"])
        try:
            response = await self._http.post(
                endpoint,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_uri,
                    "code_verifier": code_verifier,
                },
                auth=(self.client_id, self._client_secret),
            )
        except httpx.HTTPError as exc:
            raise VneidError(f"token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise VneidError(f"token endpoint answered {response.status_code}")
        body: dict[str, Any] = response.json()
        if "id_token" not in body:
            raise VneidError("no id_token in the token response")
        return body

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
            kid = header.get("kid")
            if not isinstance(kid, str):
                raise VneidError("id_token has no key id")
            key = await self._key(kid)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=ID_TOKEN_ALGORITHMS,
                audience=self.client_id,
                issuer=self.issuer,
                options={
                    "require": REQUIRED_CLAIMS,
                    "verify_exp": False,  # against the system clock below
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            check_token_times(claims, leeway=self._leeway)
        except jwt.InvalidTokenError as exc:
            raise VneidError(f"id_token rejected: {type(exc).__name__}") from exc
        if not hmac.compare_digest(str(claims["nonce"]), nonce):
            raise VneidError("id_token nonce does not match this login")
        return claims

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        endpoint = str((await self.discovery())["userinfo_endpoint"])
        response = await self._http.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code != 200:
            raise VneidError(f"userinfo answered {response.status_code}")
        body: dict[str, Any] = response.json()
        return body

    async def verify_account(self, identifier: str, kind: str) -> dict[str, Any] | None:
        """The VNeID account of a personal ID / organisation code (the counter's check, Lai Châu
        Điều 10.1.a), as claims like an ID token's; None when VNeID has no such account."""
        try:
            response = await self._http.post(
                self.issuer + "/api/accounts/verify",
                json={"identifier": identifier, "kind": kind},
                auth=(self.client_id, self._client_secret),
            )
        except httpx.HTTPError as exc:
            raise VneidError(f"account check unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise VneidError(f"account check answered {response.status_code}")
        body: dict[str, Any] = response.json()
        return body

    async def _key(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys:
            jwks_uri = str((await self.discovery())["jwks_uri"])
            document = await self._get_json(jwks_uri)
            self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys if k.key_id}
        if kid not in self._keys:
            raise VneidError("id_token signed with an unknown key")
        return self._keys[kid]

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.get(url)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise VneidError(f"VNeID unreachable: {type(exc).__name__}") from exc
        body: dict[str, Any] = response.json()
        return body
