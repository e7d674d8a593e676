"""What every use-case gets besides its session: the process-wide context and the request's origin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common import clock
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_identity.domain import accounts
from dvc_identity.hashing import Passwords
from dvc_identity.keys import KeyRing
from dvc_identity.oidc import VneidClient
from dvc_identity.population_db import PopulationDatabase
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
    population: PopulationDatabase
    throttle: AddressThrottle


def identity_context(
    settings: IdentitySettings, *, outbox: Outbox, engine: AsyncEngine, http: httpx.AsyncClient
) -> Identity:
    """The context from the settings: the service and the `dvc-identity` commands build it alike."""
    return Identity(
        settings=settings,
        outbox=outbox,
        keys=KeyRing(
            engine,
            settings.signing_key_passphrase.get_secret_value(),
            token_lifetime=timedelta(seconds=settings.access_token_seconds),
        ),
        passwords=Passwords(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        ),
        vneid=VneidClient(
            http,
            issuer=settings.vneid_url,
            client_id=settings.vneid_client_id,
            client_secret=settings.vneid_client_secret.get_secret_value(),
            redirect_uri=settings.vneid_redirect_uri,
        ),
        population=PopulationDatabase(
            http, base_url=settings.population_url, api_key=settings.population_api_key.get_secret_value()
        ),
        throttle=AddressThrottle(
            engine.begin, settings.address_failures_per_window, settings.address_window_seconds
        ),
    )


@dataclass(frozen=True)
class Origin:
    address: str | None = None
    user_agent: str | None = None


def now_utc() -> datetime:
    return clock.now()


def actor_of(principal: Principal) -> accounts.Actor:
    return accounts.Actor(principal.subject, principal.agency_id, principal.roles)
