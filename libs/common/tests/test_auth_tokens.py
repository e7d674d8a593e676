"""Local token verification: only exactly-right tokens pass; rotated keys are picked up."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest

from dvc_common.principal import Principal
from dvc_common.tokens import TokenVerifier
from dvc_devkit.identity import KeyRing

ISSUER = "http://127.0.0.1:8007"
AUDIENCE = "dvc"


def officer_token(ring: KeyRing, kid: str = "k1", **overrides: Any) -> str:
    return ring.token("one_stop_officer", sub="officer-42", position="Chuyên viên", kid=kid, **overrides)


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing(issuer=ISSUER, audience=AUDIENCE)


def verifier(ring: KeyRing) -> TokenVerifier:
    return TokenVerifier("jwks", issuer=ISSUER, audience=AUDIENCE, refresh_interval=0, fetch=ring.jwks)


async def test_valid_token_gives_the_principal(ring: KeyRing) -> None:
    principal = await verifier(ring).verify(officer_token(ring, "k1"))
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
        await verifier(ring).verify(officer_token(ring, **overrides))


async def test_tampered_token_is_refused(ring: KeyRing) -> None:
    header, _payload, signature = officer_token(ring, "k1").split(".")
    forged = jwt.utils.base64url_encode(json.dumps({"sub": "admin", "roles": ["auditor"]}).encode()).decode()
    with pytest.raises(jwt.InvalidTokenError):
        await verifier(ring).verify(f"{header}.{forged}.{signature}")


async def test_token_signed_by_an_unknown_key_is_refused(ring: KeyRing) -> None:
    stranger = KeyRing()
    with pytest.raises(jwt.InvalidTokenError):
        await verifier(ring).verify(officer_token(stranger))


async def test_rotated_key_is_fetched_once_and_cached(ring: KeyRing) -> None:
    check = verifier(ring)
    await check.verify(officer_token(ring, "k1"))
    ring.add("k2")
    await check.verify(officer_token(ring, "k2"))
    await check.verify(officer_token(ring, "k2"))
    await check.verify(officer_token(ring, "k1"))
    assert ring.fetches == 2
