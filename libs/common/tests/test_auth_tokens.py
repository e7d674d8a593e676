"""Local token verification: only exactly-right tokens pass; rotated keys are picked up."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from dvc_common.principal import Principal
from dvc_common.tokens import TokenVerifier

ISSUER = "http://127.0.0.1:8007"
AUDIENCE = "dvc"


class KeyRing:
    def __init__(self) -> None:
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        self.fetches = 0

    def add(self, kid: str) -> None:
        self.keys[kid] = ec.generate_private_key(ec.SECP256R1())

    async def jwks(self, url: str) -> dict[str, Any]:
        self.fetches += 1
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
            keys.append(jwk | {"kid": kid, "use": "sig", "alg": "ES256"})
        return {"keys": keys}

    def token(self, kid: str, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "sub": "officer-42",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 300,
            "kind": "officer",
            "agency": "000.00.14.H56",
            "roles": ["one_stop_officer"],
            "position": "Chuyên viên",
            "name": "Trần Thị Hoa",
        } | overrides
        return jwt.encode(claims, self.keys[kid], algorithm="ES256", headers={"kid": kid})


@pytest.fixture
def ring() -> KeyRing:
    ring = KeyRing()
    ring.add("k1")
    return ring


def verifier(ring: KeyRing) -> TokenVerifier:
    return TokenVerifier("jwks", issuer=ISSUER, audience=AUDIENCE, refresh_interval=0, fetch=ring.jwks)


async def test_valid_token_gives_the_principal(ring: KeyRing) -> None:
    principal = await verifier(ring).verify(ring.token("k1"))
    assert principal == Principal(
        subject="officer-42",
        kind="officer",
        name="Trần Thị Hoa",
        agency_id="000.00.14.H56",
        roles=frozenset({"one_stop_officer"}),
        position="Chuyên viên",
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 120},
        {"iss": "http://evil.example"},
        {"aud": "another-system"},
        {"kind": "superuser"},
    ],
    ids=["expired", "wrong issuer", "wrong audience", "unknown kind"],
)
async def test_wrong_tokens_are_refused(ring: KeyRing, overrides: dict[str, Any]) -> None:
    with pytest.raises(jwt.InvalidTokenError):
        await verifier(ring).verify(ring.token("k1", **overrides))


async def test_tampered_token_is_refused(ring: KeyRing) -> None:
    header, _payload, signature = ring.token("k1").split(".")
    forged = jwt.utils.base64url_encode(json.dumps({"sub": "admin", "roles": ["auditor"]}).encode()).decode()
    with pytest.raises(jwt.InvalidTokenError):
        await verifier(ring).verify(f"{header}.{forged}.{signature}")


async def test_token_signed_by_an_unknown_key_is_refused(ring: KeyRing) -> None:
    stranger = KeyRing()
    stranger.add("k1")
    with pytest.raises(jwt.InvalidTokenError):
        await verifier(ring).verify(stranger.token("k1"))


async def test_rotated_key_is_fetched_once_and_cached(ring: KeyRing) -> None:
    check = verifier(ring)
    await check.verify(ring.token("k1"))
    ring.add("k2")
    await check.verify(ring.token("k2"))
    await check.verify(ring.token("k2"))
    await check.verify(ring.token("k1"))
    assert ring.fetches == 2
