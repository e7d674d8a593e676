"""Integrator API keys: random, shown once, kept only as SHA-256 digests in the settings.

A key is 32 random bytes, so a fast digest is enough (nothing to guess from a dictionary); the
comparison is constant-time and looks at every configured digest.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEV_INTEGRATOR = "dev-integrator"
DEV_KEY = "dev-integrator-key"  # development and tests only; refused in production


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


DEV_KEY_DIGEST = digest(DEV_KEY)


def new_key() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class IntegratorKeys:
    by_name: Mapping[str, Sequence[str]]

    def integrator(self, key: str | None) -> str | None:
        """The integrator holding `key`, or None."""
        if not key:
            return None
        presented = digest(key)
        found = None
        for name, digests in self.by_name.items():
            for known in digests:
                if hmac.compare_digest(presented, known.strip().lower()):
                    found = name
        return found
