"""Argon2id password hashing, off the event loop (it is CPU and memory bound by design)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Verified against when the username is unknown, so both paths cost the same time.
        self._decoy = self._hasher.hash("decoy-password-never-used")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        return await asyncio.to_thread(self._verify, stored or self._decoy, password, stored is not None)

    def _verify(self, stored: str, password: str, real: bool) -> bool:
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
        return real

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)
