"""Consumer-side denylist: a locked or moved officer's still-valid token is refused at once."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import jwt
import pytest

from dvc_common.principal import Principal
from dvc_common.tokens import Denylist, TokenVerifier


def officer(issued_at: float) -> Principal:
    return Principal(subject="officer-1", kind="officer", issued_at=issued_at)


async def test_tokens_issued_before_the_lock_are_refused_later_ones_pass() -> None:
    denylist = Denylist()
    locked_at = datetime.fromtimestamp(1_800_000_000.5, UTC)
    denylist.apply_event("officer.locked.v1", {"officer_id": "officer-1", "locked_at": locked_at.isoformat()})
    assert await denylist.revoked(officer(1_800_000_000.0))
    assert not await denylist.revoked(officer(1_800_000_001.0))
    assert not await denylist.revoked(Principal(subject="officer-2", kind="officer", issued_at=1.0))


async def test_upserted_moves_the_instant_forward_only() -> None:
    denylist = Denylist()
    denylist.apply_event(
        "officer.upserted.v1", {"officer_id": "o", "tokens_valid_after": "2027-01-01T00:00:00+00:00"}
    )
    denylist.apply_event(
        "officer.upserted.v1", {"officer_id": "o", "tokens_valid_after": "2026-01-01T00:00:00+00:00"}
    )
    denylist.apply_event("officer.upserted.v1", {"officer_id": "o", "tokens_valid_after": None})
    moment = datetime(2026, 6, 1, tzinfo=UTC).timestamp()
    assert await denylist.revoked(Principal(subject="o", kind="officer", issued_at=moment))


async def test_the_verifier_consults_the_revocation_hook() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    jwk = jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": "k1", "alg": "ES256"}

    async def fetch(_: str) -> dict[str, object]:
        return {"keys": [jwk]}

    denylist = Denylist()
    verifier = TokenVerifier("jwks", issuer="i", audience="dvc", fetch=fetch, revoked=denylist.revoked)
    now = time.time()
    claims = {"sub": "officer-1", "iss": "i", "aud": "dvc", "iat": now, "exp": now + 60, "kind": "officer"}
    token = jwt.encode(claims, key, algorithm="ES256", headers={"kid": "k1"})
    assert (await verifier.verify(token)).subject == "officer-1"
    denylist.void_before("officer-1", datetime.now(UTC))
    with pytest.raises(jwt.InvalidTokenError):
        await verifier.verify(token)
