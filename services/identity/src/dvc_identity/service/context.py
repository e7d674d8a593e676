"""What every use-case gets besides its session: the process-wide context and the request's origin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from dvc_common.auth import Principal
from dvc_common.outbox import Outbox
from dvc_identity.domain import accounts
from dvc_identity.hashing import Passwords
from dvc_identity.keys import KeyRing
from dvc_identity.oidc import VneidClient
from dvc_identity.settings import IdentitySettings
from dvc_identity.throttle import AddressThrottle


@dataclass
class Identity:
    """What the use-cases need besides the session (built once per process)."""

    settings: IdentitySettings
    outbox: Outbox
    keys: KeyRing
    passwords: Passwords
    vneid: VneidClient
    http: httpx.AsyncClient
    throttle: AddressThrottle


@dataclass(frozen=True)
class Origin:
    address: str | None = None
    user_agent: str | None = None


def now_utc() -> datetime:
    return datetime.now(UTC)


def actor_of(principal: Principal) -> accounts.Actor:
    return accounts.Actor(principal.subject, principal.agency_id, principal.roles)
