"""Security headers on every response of every service (the app factory adds them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.edge import API_CSP, HTML_CSP
from dvc_common.problems import Problem
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.s3server import free_port


class HeaderTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_HEADER_TEST_", extra="ignore")


router = APIRouter()


@router.post("/token")
async def token() -> dict[str, str]:
    return {"access_token": "secret", "token_type": "bearer"}


@router.get("/page", response_class=HTMLResponse)
async def page() -> str:
    return "<!doctype html><title>Tra cứu</title><p>Hồ sơ</p>"


@router.get("/cached")
async def cached() -> JSONResponse:
    return JSONResponse({"jwks": []}, headers={"cache-control": "public, max-age=300"})


@router.get("/refused")
async def refused() -> None:
    raise Problem(403, "forbidden", "Không có quyền", "Bạn không có quyền xem hồ sơ này.")


@pytest.fixture
async def client(platform_db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = HeaderTestSettings(
        service_name="header-test",
        database_url=SecretStr(platform_db_url),
        amqp_url=SecretStr(f"amqp://guest:guest@127.0.0.1:{free_port()}/"),
        trusted_proxies=["10.0.0.0/8"],
        log_json=False,
        log_level="CRITICAL",
    )
    runtime = ServiceRuntime(settings)
    app = create_app(runtime, title="headers", description="headers", routers=[router])
    yield httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")
    await runtime.engine.dispose()


def client_from(app_client: httpx.AsyncClient, peer: str) -> httpx.AsyncClient:
    transport = app_client._transport
    assert isinstance(transport, httpx.ASGITransport)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=transport.app, client=(peer, 4711)), base_url="http://svc"
    )


COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    "method,path,status",
    [
        ("POST", "/token", 200),
        ("GET", "/refused", 403),
        ("GET", "/nowhere", 404),
        ("POST", "/refused", 405),
        ("GET", "/healthz", 200),
    ],
)
async def test_every_api_answer_has_the_headers_and_is_not_stored(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    for name, value in COMMON.items():
        assert response.headers[name] == value
    assert response.headers["content-security-policy"] == API_CSP
    assert "frame-ancestors 'none'" in API_CSP
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers  # plain HTTP, no proxy


async def test_html_pages_get_a_policy_for_their_own_assets(client: httpx.AsyncClient) -> None:
    response = await client.get("/page")
    assert response.headers["content-security-policy"] == HTML_CSP
    assert "script-src 'self'" in HTML_CSP and "frame-ancestors 'none'" in HTML_CSP
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_route_keeps_its_own_cache_control(client: httpx.AsyncClient) -> None:
    assert (await client.get("/cached")).headers["cache-control"] == "public, max-age=300"


async def test_the_api_documentation_can_load_swagger_ui(client: httpx.AsyncClient) -> None:
    policy = (await client.get("/docs")).headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy and "frame-ancestors 'none'" in policy


async def test_hsts_only_when_tls_ended_at_a_trusted_proxy(client: httpx.AsyncClient) -> None:
    tls = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    async with client_from(client, "10.1.2.3") as via_proxy:
        assert (
            "max-age=" in (await via_proxy.get("/healthz", headers=tls)).headers["strict-transport-security"]
        )
        assert "strict-transport-security" not in (await via_proxy.get("/healthz")).headers
    async with client_from(client, "203.0.113.7") as direct:  # anyone can send the header
        assert "strict-transport-security" not in (await direct.get("/healthz", headers=tls)).headers
