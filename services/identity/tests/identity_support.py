"""Test support for identity: the app on a per-run PostgreSQL database and RabbitMQ vhost, the sandbox's
VNeID and population-database simulators in-process behind identity's HTTP client, and the first
provincial operator created by the real `dvc-identity bootstrap-operator` command.

Helpers use only identity's HTTP API, its CLI and its database, so they do not depend on how the
service's code is laid out.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common.db import make_engine
from dvc_devkit.testing.infra import postgres_database, rabbitmq_vhost
from dvc_identity.app import build
from dvc_identity.entry import SERVICE
from dvc_identity.settings import IdentitySettings
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.settings import SandboxSettings

MIGRATIONS = SERVICE.migrations
ISSUER = "http://127.0.0.1:18007"
SANDBOX = "http://sandbox.test"
STRONG = "Lai-Chau-2026-an-toan!"
CLIENT_ADDRESS = "192.0.2.10"
ROOT = "vp.goc"  # the operator bootstrap-operator creates once per run

PROVINCE = "000.00.00.H56"  # UBND tỉnh Lai Châu (root of the agency tree)
VP = "000.00.01.H56"  # Văn phòng UBND tỉnh
XD = "000.00.14.H56"  # Sở Xây dựng
TP = "000.00.03.H56"  # Sở Tư pháp

# Cheaper Argon2 for tests only (the benchmark uses the production parameters).
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8192, "argon2_parallelism": 1}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def jwt_part(token: str, index: int) -> dict[str, Any]:
    """The decoded header (0) or claims (1) of a JWT, unverified: what a client can read."""
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def problem_type(response: httpx.Response) -> str:
    """The slug of a problem+json answer (its type URI's last segment)."""
    slug: str = response.json()["type"].rsplit("/", 1)[-1]
    return slug


@dataclass
class Cli:
    """`dvc-identity` as an operator runs it, against this run's database."""

    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        executable = str(Path(sys.executable).parent / "dvc-identity")
        return subprocess.run(
            [executable, *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )


@dataclass
class Env:
    app: FastAPI
    sandbox: FastAPI
    client: httpx.AsyncClient
    engine: AsyncEngine
    cli: Cli
    database_url: str
    amqp_url: str

    @asynccontextmanager
    async def replica(self, peer: str = CLIENT_ADDRESS, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        """A second replica of identity on the same database, configured with `settings`."""
        outbound = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.sandbox))
        app = build(identity_settings(self.database_url, self.amqp_url, **settings), http=outbound)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(peer, 40000)), base_url=ISSUER
        )
        try:
            async with app.router.lifespan_context(app), client:
                yield client
        finally:
            await outbound.aclose()

    def other_client(self, address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=(address, 40000)), base_url=ISSUER
        )

    async def login(self, username: str, password: str = STRONG) -> httpx.Response:
        return await self.client.post("/api/v1/auth/login", json={"username": username, "password": password})

    async def root_token(self) -> str:
        response = await self.login(ROOT)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    async def bootstrap_operator(self, username: str = "vp.quantri") -> tuple[str, str]:
        """A provincial operator (what bootstrap-operator creates); returns (id, temporary password)."""
        response = await self.client.post(
            "/api/v1/officers",
            headers=bearer(await self.root_token()),
            json={
                "username": username,
                "agency_id": VP,
                "full_name": "Lê Văn Quản",
                "position": "Quản trị hệ thống cấp tỉnh",
                "roles": ["provincial_operator", "agency_admin"],
                "email": f"{username}@laichau.gov.vn",
            },
        )
        assert response.status_code == 201, response.text
        officer_id = str(response.json()["officer"]["id"])
        return officer_id, await self.temporary_password(officer_id)

    async def temporary_password(self, officer_id: str) -> str:
        """The latest temporary password identity sent the holder (`officer.credentials_issued.v1`,
        which notify mails to them); the API never shows it to the actor."""
        issued = [
            data for key, data in await self.events(officer_id) if key == "officer.credentials_issued.v1"
        ]
        assert issued, f"no credentials issued to {officer_id}"
        password: str = issued[-1]["temporary_password"]
        return password

    async def activate(self, username: str, temporary: str, new: str = STRONG) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/password",
            json={"username": username, "current_password": temporary, "new_password": new},
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    async def operator(self, username: str) -> str:
        """A new, activated provincial operator's access token."""
        _, temporary = await self.bootstrap_operator(username)
        token: str = (await self.activate(username, temporary))["access_token"]
        return token

    async def officer(
        self,
        admin_token: str,
        username: str,
        agency: str,
        roles: list[str],
        position: str = "Chuyên viên xử lý",
    ) -> tuple[str, dict[str, Any]]:
        """Create an officer with `admin_token`, activate it; returns (id, tokens)."""
        response = await self.client.post(
            "/api/v1/officers",
            headers=bearer(admin_token),
            json={
                "username": username,
                "agency_id": agency,
                "full_name": f"Cán bộ {username}",
                "position": position,
                "roles": roles,
                "email": f"{username}@laichau.gov.vn",
            },
        )
        assert response.status_code == 201, response.text
        officer_id = response.json()["officer"]["id"]
        tokens = await self.activate(username, await self.temporary_password(officer_id))
        return officer_id, tokens

    async def audit(self, token: str, **params: Any) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/api/v1/audit", params={"limit": 500, **params}, headers=bearer(token)
        )
        assert response.status_code == 200, response.text
        records: list[dict[str, Any]] = response.json()
        return records

    async def events(self, subject: str) -> list[tuple[str, dict[str, Any]]]:
        """(routing key, data) of every event identity queued for `subject`, oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT routing_key, body FROM outbox_message WHERE subject = :s ORDER BY id"),
                {"s": subject},
            )
            return [(row[0], _event_data(row[1])) for row in rows]

    async def sql(self, statement: str, **params: Any) -> list[Any]:
        """Run one statement as someone with database access would (committed); returns its rows."""
        async with self.engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []


def _event_data(body: Any) -> dict[str, Any]:
    envelope = json.loads(body) if isinstance(body, str | bytes) else body
    data: dict[str, Any] = envelope["data"]
    return data


async def admins(env: Env, suffix: str) -> tuple[str, str, str]:
    """An operator and one agency administrator each for Sở Xây dựng and Sở Tư pháp."""
    operator = await env.operator(f"vp.quantri.{suffix}")
    _, xd = await env.officer(
        operator, f"xd.admin.{suffix}", XD, ["agency_admin"], "Quản trị tài khoản cơ quan"
    )
    _, tp = await env.officer(
        operator, f"tp.admin.{suffix}", TP, ["agency_admin"], "Quản trị tài khoản cơ quan"
    )
    return operator, xd["access_token"], tp["access_token"]


def token_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "00000000-0000-0000-0000-000000000001",
        "iss": ISSUER,
        "aud": "dvc",
        "iat": now,
        "exp": now + 60,
        "jti": "x",
        "kind": "officer",
        "roles": ["provincial_operator"],
        "agency": VP,
    }
    return base | overrides


async def authorize(env: Env, login_url: str, account: str, **override: str) -> httpx.Response:
    """Play the citizen at the VNeID form; returns VNeID's redirect back to identity."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(login_url).query).items()} | override
    decision = query.pop("decision", "allow")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=env.sandbox), base_url=SANDBOX) as vneid:
        form = await vneid.get("/vneid/authorize", params=query)
        assert form.status_code == 200 and "VNeID" in form.text
        return await vneid.post("/vneid/authorize", data=query | {"account": account, "decision": decision})


async def citizen_login(env: Env, account: str) -> dict[str, Any]:
    start = await env.client.get("/api/v1/citizen/login")
    assert start.status_code == 302
    back = await authorize(env, start.headers["location"], account)
    callback = urlsplit(back.headers["location"])
    done = await env.client.get("/api/v1/citizen/callback?" + callback.query)
    assert done.status_code == 200, done.text
    tokens: dict[str, Any] = done.json()
    return tokens


def identity_settings(database_url: str, amqp_url: str, **overrides: Any) -> IdentitySettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "amqp_url": amqp_url,
        "public_url": ISSUER,
        "vneid_url": SANDBOX + "/vneid",
        "population_url": SANDBOX + "/population",
        "log_json": False,
        "db_pool_size": 3,
        **CHEAP_ARGON2,
        **overrides,
    }
    return IdentitySettings.model_validate(values)


def cli_environment(database_url: str, amqp_url: str) -> dict[str, str]:
    """The environment an operator's shell would have for `dvc-identity` against this run."""
    prefix = "DVC_IDENTITY_"
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefix)}
    env |= {
        prefix + "DATABASE_URL": database_url,
        prefix + "AMQP_URL": amqp_url,
        prefix + "PUBLIC_URL": ISSUER,
        prefix + "LOG_JSON": "false",
        **{prefix + k.upper(): str(v) for k, v in CHEAP_ARGON2.items()},
    }
    return env


@pytest.fixture(scope="session")
def identity_db() -> Iterator[str]:
    with postgres_database("dvc_identity_test", MIGRATIONS) as url:
        yield url


@pytest.fixture(scope="session")
def identity_vhost() -> Iterator[str]:
    with rabbitmq_vhost("dvc-identity-test") as vhost:
        yield vhost.url


@pytest.fixture(scope="session")
async def env(identity_db: str, identity_vhost: str) -> AsyncIterator[Env]:
    sandbox = create_sandbox(SandboxSettings())
    outbound = httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), timeout=10)
    app = build(identity_settings(identity_db, identity_vhost), http=outbound)
    engine = make_engine(identity_db, pool_size=2)
    cli = Cli(cli_environment(identity_db, identity_vhost))
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(CLIENT_ADDRESS, 50000)), base_url=ISSUER
        )
        environment = Env(app, sandbox, client, engine, cli, identity_db, identity_vhost)
        created = cli.run("bootstrap-operator", ROOT, "--name", "Quản trị gốc")
        assert created.returncode == 0, created.stderr
        await environment.activate(ROOT, created.stdout.strip())
        yield environment
        await client.aclose()
    await outbound.aclose()
    await engine.dispose()
