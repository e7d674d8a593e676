"""The PostgreSQL-backed rate limit (K5): replicas share one budget, per client and overall, and a
forged X-Forwarded-For from an untrusted peer buys no fresh budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Depends, Request
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dvc_common.client_address import TrustedProxies, request_client_address
from dvc_common.problems import Problem
from dvc_common.ratelimit import ClientLimiter, Limit, SharedBudget, SharedRateLimiter, lookup_limiter
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.s3server import free_port


class LimitTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_LIMIT_TEST_", extra="ignore")


async def limited(request: Request) -> None:
    limiter: ClientLimiter = request.app.state.lookup_limiter
    client = request_client_address(request, request.app.state.proxies) or "unknown"
    wait = await limiter.allow(client)
    if wait is not None:
        raise Problem(
            429,
            "too-many-requests",
            "Quá nhiều yêu cầu",
            "Vui lòng thử lại sau.",
            headers={"Retry-After": str(int(wait) + 1)},
        )


router = APIRouter()


@router.get("/api/v1/lookup/{code}", dependencies=[Depends(limited)])
async def lookup(code: str) -> dict[str, str]:
    return {"code": code}


@pytest.fixture
async def engine(platform_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(platform_db_url)
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE rate_limit_counter"))
    yield engine
    await engine.dispose()


@pytest.fixture
async def replicas(engine: AsyncEngine, platform_db_url: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two app instances of one service (each its own engine and process state) on one database."""
    clients: list[httpx.AsyncClient] = []
    runtimes: list[ServiceRuntime] = []
    for _ in range(2):
        settings = LimitTestSettings(
            service_name="limit-test",
            database_url=SecretStr(platform_db_url),
            amqp_url=SecretStr(f"amqp://guest:guest@127.0.0.1:{free_port()}/"),
            log_json=False,
            log_level="ERROR",
        )
        runtime = ServiceRuntime(settings)
        app = create_app(runtime, title="limit", description="limit", routers=[router])
        app.state.proxies = TrustedProxies.parse(["10.0.0.0/8"])  # the ingress
        app.state.lookup_limiter = ClientLimiter(SharedRateLimiter(runtime.engine.begin), "lookup", 3, 5)
        runtimes.append(runtime)
        clients.append(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("10.0.0.5", 1234)), base_url="http://svc"
            )
        )
    yield clients
    for client, runtime in zip(clients, runtimes, strict=True):
        await client.aclose()
        await runtime.engine.dispose()


def via_ingress(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": f"{address}"}


async def test_two_replicas_share_one_budget_per_client(replicas: list[httpx.AsyncClient]) -> None:
    a, b = replicas
    statuses = [
        (
            await (a if n % 2 else b).get(f"/api/v1/lookup/C{n}", headers=via_ingress("203.0.113.1"))
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]  # an in-process limit would have given each replica 3
    refused = await a.get("/api/v1/lookup/C9", headers=via_ingress("203.0.113.1"))
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 61


async def test_an_overall_budget_stops_walking_codes_from_many_addresses(
    replicas: list[httpx.AsyncClient],
) -> None:
    a, b = replicas
    statuses = [
        (await (a, b)[n % 2].get(f"/api/v1/lookup/C{n}", headers=via_ingress(f"198.51.100.{n}"))).status_code
        for n in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2  # each address is new, the overall budget (5) is spent


async def test_a_forged_forwarded_for_from_an_untrusted_peer_buys_no_fresh_budget(
    replicas: list[httpx.AsyncClient],
) -> None:
    a, _ = replicas
    transport = a._transport
    assert isinstance(transport, httpx.ASGITransport)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=transport.app, client=("203.0.113.50", 999)), base_url="http://svc"
    ) as direct:
        statuses = [
            (
                await direct.get(f"/api/v1/lookup/C{n}", headers={"X-Forwarded-For": f"192.0.2.{n}"})
            ).status_code
            for n in range(4)
        ]
    assert statuses == [200, 200, 200, 429]


async def test_concurrent_hits_never_exceed_the_budget(engine: AsyncEngine, platform_db_url: str) -> None:
    other = create_async_engine(platform_db_url)
    try:
        limiters = [SharedRateLimiter(engine.begin), SharedRateLimiter(other.begin)]
        limit = [Limit("race", 10, 3600)]
        results = await asyncio.gather(*(limiters[n % 2].hit(limit) for n in range(30)))
    finally:
        await other.dispose()
    assert sum(r is None for r in results) == 10


async def test_exceeded_reads_without_counting(engine: AsyncEngine) -> None:
    limiter = SharedRateLimiter(engine.begin)
    failures = Limit("login:203.0.113.7", 2, 300)
    assert await limiter.exceeded(failures) is None
    await limiter.hit([failures])
    assert await limiter.exceeded(failures) is None
    await limiter.hit([failures])
    wait = await limiter.exceeded(failures)
    assert wait is not None and 0 < wait <= 300
    assert await limiter.exceeded(Limit("login:203.0.113.8", 2, 300)) is None


async def test_a_shared_budget_lets_through_its_rate_per_window(engine: AsyncEngine) -> None:
    budget = SharedBudget(engine.begin, "notify:zalo", 1000)
    await asyncio.gather(*(budget.acquire() for _ in range(50)))
    async with engine.connect() as conn:
        hits = (
            await conn.execute(text("SELECT sum(hits) FROM rate_limit_counter WHERE key = 'notify:zalo'"))
        ).scalar_one()
    assert hits >= 50


def test_the_lookup_limiter_has_a_budget_for_everybody() -> None:
    limiter = lookup_limiter(lambda: None, "lookup", 30)  # type: ignore[arg-type,return-value]
    assert (limiter.per_client, limiter.overall) == (30, 1500)


async def test_a_window_opens_at_its_first_hit_so_a_burst_is_never_split(engine: AsyncEngine) -> None:
    # A wall-clock aligned window would end at the next multiple of the window since 1970 (a ten
    # year window: 2030), so a burst close to a boundary got a fresh budget half-way (a flaky CI).
    limiter = SharedRateLimiter(engine.begin)
    decade = 10 * 365 * 86400
    burst = Limit("burst:203.0.113.9", 1, decade)
    assert await limiter.hit([burst]) is None
    wait = await limiter.hit([burst])
    assert wait is not None and decade - 60 < wait <= decade
