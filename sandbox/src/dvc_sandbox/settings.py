"""Sandbox configuration, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORTAL_API_KEY = "sandbox-dev-key"
DEFAULT_MAIL_DIR = "var/mail"


@dataclass(frozen=True, slots=True)
class SandboxSettings:
    portal_api_key: str = DEFAULT_PORTAL_API_KEY
    mail_dir: Path = Path(DEFAULT_MAIL_DIR)
    # Identity's GET /api/v1/clock/setting: the simulators follow the system clock (read every
    # `clock_poll_seconds`), as the real national systems share real time with us. None: wall clock.
    clock_url: str | None = None
    clock_poll_seconds: float = 0.5

    @classmethod
    def from_env(cls) -> SandboxSettings:
        return cls(
            portal_api_key=os.environ.get("SANDBOX_PORTAL_API_KEY", DEFAULT_PORTAL_API_KEY),
            mail_dir=Path(os.environ.get("SANDBOX_MAIL_DIR", DEFAULT_MAIL_DIR)),
            clock_url=os.environ.get("SANDBOX_CLOCK_URL") or None,
        )
