"""/metrics: labelled by route template, served on its own port, not by the public app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from prometheus_client import REGISTRY
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.s3server import free_port


class MetricsTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_METRICS_TEST_", extra="ignore")


router = APIRouter()


@router.get("/api/v1/dossiers/{code}")
async def dossier(code: str) -> dict[str, str]:
    return {"code": code}


def series(service: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The HTTP series of `service` now in the registry: (sample name, labels)."""
    found: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for family in REGISTRY.collect():
        if family.name in ("dvc_http_requests", "dvc_http_request_duration_seconds"):
            for sample in family.samples:
                if sample.labels.get("service") == service:
                    found.add((sample.name, tuple(sorted(sample.labels.items()))))
    return found


@pytest.fixture
async def service(platform_db_url: str, vhost_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, int]]:
    port = free_port()
    settings = MetricsTestSettings(
        service_name="metrics-test",
        database_url=SecretStr(platform_db_url),
        amqp_url=SecretStr(vhost_url),
        metrics_port=port,
        log_json=False,
        log_level="ERROR",
    )
    runtime = ServiceRuntime(settings)
    app = create_app(runtime, title="metrics", description="metrics", routers=[router])
    await runtime.start(relay=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
            yield client, port
    finally:
        await runtime.stop()


async def test_the_public_app_has_no_metrics_and_the_metrics_port_has_them(
    service: tuple[httpx.AsyncClient, int],
) -> None:
    client, port = service
    assert (await client.get("/api/v1/dossiers/000.00.12.H56-261202-0042")).status_code == 200
    public = await client.get("/metrics")
    assert public.status_code == 404 and public.headers["content-type"] == "application/problem+json"
    async with httpx.AsyncClient() as scraper:
        scraped = (await scraper.get(f"http://127.0.0.1:{port}/metrics")).text
    assert 'route="/api/v1/dossiers/{code}"' in scraped
    assert "261202-0042" not in scraped  # no dossier code in any label


async def test_two_thousand_unique_404s_add_no_series(service: tuple[httpx.AsyncClient, int]) -> None:
    client, _ = service
    for n in range(5):
        await client.get(f"/khong-co/{n}")
        await client.get(f"/api/v1/dossiers/{n}")
        await client.post(f"/api/v1/dossiers/{n}")  # 405: the template, not the path
    before = series("metrics-test")
    for n in range(2_000):
        assert (await client.get(f"/khong-co/{n}-{n * 7919}")).status_code == 404
        if n % 10 == 0:
            await client.get(f"/api/v1/dossiers/X{n}")
            await client.post(f"/api/v1/dossiers/X{n}")
    assert series("metrics-test") == before
    routes = {dict(labels)["route"] for _name, labels in before}
    assert routes == {"unmatched", "/api/v1/dossiers/{code}"}
