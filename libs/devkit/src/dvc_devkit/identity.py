"""A stand-in for identity in tests: signing keys, their JWKS, and access tokens for any principal.

    ring = KeyRing()
    app.state.token_verifier = ring.verifier()              # or fetch=ring.jwks in your own verifier
    officer = ring.officer("one_stop_officer", agency=AGENCY)   # {"Authorization": "Bearer …"}
    citizen = ring.citizen("vneid:001190000123")
    token = ring.token("auditor", sub="auditor-1", agency=None) # the bare token

Tokens carry what identity's carry (`sub`, `kind`, `name`, `agency`, `roles`, `position`, `iss`, `aud`,
`iat`, `exp`); extra claims override them. `add()` a key id to test key rotation; `fetches` counts
JWKS requests.
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from dvc_common.tokens import TokenVerifier

ISSUER = "http://127.0.0.1:8007"  # identity on the developer's stack
AUDIENCE = "dvc"
AGENCY = "000.00.14.H56"  # Sở Xây dựng tỉnh Lai Châu


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class KeyRing:
    """Signing keys by key id; tokens are signed with `kid` (default: the first key)."""

    def __init__(self, *, issuer: str = ISSUER, audience: str = AUDIENCE, kid: str | None = "k1") -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        self.fetches = 0
        if kid is not None:
            self.add(kid)

    def add(self, kid: str) -> None:
        """A new signing key (key rotation); the JWKS publishes every key held."""
        self.keys[kid] = ec.generate_private_key(ec.SECP256R1())

    @property
    def key(self) -> ec.EllipticCurvePrivateKey:
        """The first key."""
        return next(iter(self.keys.values()))

    def jwks_document(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
            keys.append(jwk | {"kid": kid, "use": "sig", "alg": "ES256"})
        return {"keys": keys}

    async def jwks(self, url: str = "") -> dict[str, Any]:
        """A `fetch` for `TokenVerifier`: the JWKS, whatever the URL."""
        self.fetches += 1
        return self.jwks_document()

    def verifier(self, **options: Any) -> TokenVerifier:
        """A verifier that trusts these keys (no HTTP; keys re-read at once on an unknown key id)."""
        options.setdefault("refresh_interval", 0)
        return TokenVerifier("jwks", issuer=self.issuer, audience=self.audience, fetch=self.jwks, **options)

    def token(
        self,
        *roles: str,
        sub: str = "officer-1",
        kind: str = "officer",
        agency: str | None = AGENCY,
        name: str | None = "Trần Thị Hoa",
        position: str | None = None,
        kid: str | None = None,
        lifetime: int = 600,
        **claims: Any,
    ) -> str:
        """A signed access token; `agency` is only set for officers."""
        now = int(time.time())
        body: dict[str, Any] = {
            "sub": sub,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + lifetime,
            "kind": kind,
            "roles": list(roles),
        }
        if name is not None:
            body["name"] = name
        if kind == "officer" and agency is not None:
            body["agency"] = agency
        if position is not None:
            body["position"] = position
        body |= claims
        signing = kid or next(iter(self.keys))
        return jwt.encode(body, self.keys[signing], algorithm="ES256", headers={"kid": signing})

    def officer(
        self, *roles: str, agency: str | None = AGENCY, sub: str = "officer-1", **claims: Any
    ) -> dict[str, str]:
        """Authorization headers of an officer of `agency` holding `roles`."""
        return bearer(self.token(*roles, sub=sub, agency=agency, **claims))

    def citizen(self, sub: str = "citizen-1", name: str = "Lò Văn Pành", **claims: Any) -> dict[str, str]:
        """Authorization headers of a citizen (VNeID)."""
        return bearer(self.token(sub=sub, kind="citizen", name=name, **claims))

    def organisation(
        self, sub: str = "org-1", name: str = "Công ty TNHH Xây dựng Mường Lay"
    ) -> dict[str, str]:
        return bearer(self.token(sub=sub, kind="organisation", name=name))
