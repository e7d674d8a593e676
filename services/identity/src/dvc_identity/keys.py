"""Our signing keys: ES256 key pairs kept in the database (private halves encrypted with a passphrase).

Tokens are signed with the newest key; the JWKS publishes every key not yet retired plus retired keys
for as long as tokens they signed can still be alive, so rotation never breaks a valid token.
Replicas reload the ring from the database at most every `reload_seconds` (and at once after a
rotation they made themselves).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_identity.models import SigningKey
from dvc_identity.repository import IdentityRepository

ALGORITHM = "ES256"


@dataclass(frozen=True)
class LoadedKey:
    kid: str
    private: ec.EllipticCurvePrivateKey
    public_jwk: dict[str, Any]
    created_at: datetime


def new_signing_key(passphrase: bytes, now: datetime) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    kid = f"{now:%Y%m%d}-{secrets.token_hex(4)}"
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    ).decode("ascii")
    return SigningKey(
        kid=kid,
        algorithm=ALGORITHM,
        private_pem=pem,
        public_jwk=jwk | {"kid": kid, "use": "sig", "alg": ALGORITHM},
        created_at=now,
    )


class KeyRing:
    def __init__(
        self, engine: AsyncEngine, passphrase: str, *, token_lifetime: timedelta, reload_seconds: float = 30
    ) -> None:
        self._engine = engine
        self._passphrase = passphrase.encode()
        self._grace = token_lifetime + timedelta(minutes=5)
        self._reload_seconds = reload_seconds
        self._current: LoadedKey | None = None
        self._published: list[dict[str, Any]] = []
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._current is not None and time.monotonic() - self._loaded_at < self._reload_seconds

    async def _load(self, *, force: bool = False) -> None:
        if not force and self._fresh():
            return
        async with self._lock:
            if not force and self._fresh():
                return
            self._use(await self._read_keys(clock.now()))
            self._loaded_at = time.monotonic()

    async def _read_keys(self, now: datetime) -> list[SigningKey]:
        """The keys to publish; the first key is created here, by one replica only."""
        async with AsyncSession(self._engine, expire_on_commit=False) as session:
            repo = IdentityRepository(session)
            keys = await repo.signing_keys(published_since=now - self._grace)
            if not _active(keys):
                await repo.lock_key_creation()
                keys = await repo.signing_keys(published_since=now - self._grace)
                if not _active(keys):
                    key = new_signing_key(self._passphrase, now)
                    session.add(key)
                    keys.append(key)
                await session.commit()
        return keys

    def _use(self, keys: list[SigningKey]) -> None:
        """Sign with the newest active key from now on; publish them all."""
        newest = max(_active(keys), key=lambda k: k.created_at)
        if self._current is None or self._current.kid != newest.kid:
            private = serialization.load_pem_private_key(
                newest.private_pem.encode(), password=self._passphrase
            )
            assert isinstance(private, ec.EllipticCurvePrivateKey)
            self._current = LoadedKey(newest.kid, private, newest.public_jwk, newest.created_at)
        self._published = [k.public_jwk for k in keys]

    async def jwks(self) -> dict[str, Any]:
        await self._load()
        return {"keys": list(self._published)}

    async def sign(self, claims: dict[str, Any]) -> str:
        await self._load()
        assert self._current is not None
        return jwt.encode(
            claims, self._current.private, algorithm=ALGORITHM, headers={"kid": self._current.kid}
        )

    async def rotate(self, session: AsyncSession) -> str:
        """Add a new key (used from now on) and retire the others; call inside the use-case's transaction."""
        now = clock.now()
        key = new_signing_key(self._passphrase, now)
        await IdentityRepository(session).retire_signing_keys(now)
        session.add(key)
        self._loaded_at = float("-inf")
        return key.kid

    async def reload(self) -> None:
        await self._load(force=True)


def _active(keys: list[SigningKey]) -> list[SigningKey]:
    return [k for k in keys if k.retired_at is None]


def new_jti() -> str:
    return uuid.uuid4().hex
