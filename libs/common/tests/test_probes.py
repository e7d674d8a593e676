"""Probes: /readyz is the database only (a broker or blob-store outage keeps the API in the
balancer); /healthz reports the broker, the relay and shared dependencies for alerts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.s3server import free_port


class ProbeTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_PROBE_TEST_", extra="ignore")


@pytest.fixture
async def broker_down_runtime(platform_db_url: str) -> AsyncIterator[ServiceRuntime]:
    settings = ProbeTestSettings(
        service_name="probe-test",
        database_url=SecretStr(platform_db_url),
        amqp_url=SecretStr(f"amqp://guest:guest@127.0.0.1:{free_port()}/"),  # nothing listens there
        log_json=False,
        log_level="ERROR",
    )
    runtime = ServiceRuntime(settings)
    yield runtime
    await runtime.engine.dispose()


async def test_a_broker_outage_leaves_the_service_ready_and_shows_in_liveness(
    broker_down_runtime: ServiceRuntime,
) -> None:
    app = create_app(broker_down_runtime, title="probe", description="probe")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as client:
        ready = await client.get("/readyz")
        alive = await client.get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok"}}
    assert alive.status_code == 200
    assert alive.json()["background"] == {"broker": "error: unreachable", "relay": "off"}


async def test_a_blob_store_outage_leaves_the_service_ready_and_shows_in_liveness(
    broker_down_runtime: ServiceRuntime,
) -> None:
    async def blobs() -> None:
        raise ConnectionError("S3 unreachable")

    broker_down_runtime.add_dependency_check("blobs", blobs)
    app = create_app(broker_down_runtime, title="probe", description="probe")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as client:
        ready = await client.get("/readyz")
        alive = await client.get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok"}}
    assert alive.json()["background"]["blobs"] == "error: ConnectionError"


async def test_a_database_outage_or_a_failing_added_check_makes_the_service_not_ready() -> None:
    settings = ProbeTestSettings(
        service_name="probe-test",
        database_url=SecretStr(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none"),
        log_json=False,
        log_level="ERROR",
    )
    runtime = ServiceRuntime(settings)

    async def blobs() -> None:
        raise ConnectionError("S3 unreachable")

    runtime.add_readiness_check("blobs", blobs)
    app = create_app(runtime, title="probe", description="probe")
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://probe"
        ) as client:
            ready = await client.get("/readyz")
    finally:
        await runtime.engine.dispose()
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"].startswith("error: ")
    assert body["checks"]["blobs"] == "error: ConnectionError"
