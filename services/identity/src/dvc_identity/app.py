"""Builds identity's FastAPI app; nothing else."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from dvc_common.client_address import TrustedProxies
from dvc_common.clock import Clock
from dvc_common.principal import Principal
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.tokens import TokenVerifier
from dvc_identity.api import agencies, audit, auth, citizen, officers, population, signing_keys
from dvc_identity.api import clock as system_clock
from dvc_identity.handlers import CONSUMERS
from dvc_identity.service.agencies import load_seed
from dvc_identity.service.clock import stored_setting
from dvc_identity.service.context import identity_context
from dvc_identity.service.tokens import token_revoked
from dvc_identity.settings import IdentitySettings


def build(
    settings: IdentitySettings | None = None,
    *,
    http: httpx.AsyncClient | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    settings = settings or IdentitySettings()
    runtime = ServiceRuntime(settings, CONSUMERS, clock=clock)
    http = http or httpx.AsyncClient(timeout=settings.http_timeout_seconds)
    identity = identity_context(settings, outbox=runtime.outbox, engine=runtime.engine, http=http)
    keys = identity.keys

    async def local_jwks(_: str) -> dict[str, Any]:
        return await keys.jwks()

    async def revoked(principal: Principal) -> bool:
        async with runtime.transaction() as session:
            return await token_revoked(session, principal)

    async def prepare(rt: ServiceRuntime) -> None:
        async with rt.transaction() as session:  # the clock first: keys and tokens are stamped with it
            rt.clock.apply(await stored_setting(session))
        rt.clock.synchronised = True
        await keys.reload()
        if settings.seed_agencies:
            async with rt.transaction() as session:
                await load_seed(session, identity)

    async def close(_: ServiceRuntime) -> None:
        await http.aclose()

    application = create_app(
        runtime,
        title="DVC — Định danh và tài khoản (identity)",
        description="Cơ quan, tài khoản cán bộ, vai trò, mã truy cập; công dân, tổ chức đăng nhập bằng VNeID.",
        routers=[
            auth.router,
            signing_keys.router,
            citizen.router,
            citizen.resolution,
            agencies.router,
            officers.router,
            population.router,
            audit.router,
            system_clock.router,
        ],
        on_startup=[prepare],
        on_shutdown=[close],
    )
    application.state.identity = identity
    application.state.proxies = TrustedProxies.parse(settings.trusted_proxies)
    application.state.token_verifier = TokenVerifier(
        settings.public_url.rstrip("/") + "/.well-known/jwks.json",
        issuer=settings.public_url,
        audience=settings.audience,
        refresh_interval=1.0,
        fetch=local_jwks,
        revoked=revoked,
    )
    return application


app = build()
