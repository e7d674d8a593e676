"""Identity benchmark: officer logins per second with the production Argon2id parameters, and access-token
verifications per second in a consuming service (local verification: no call to identity per request).

    .venv/bin/python bench/identity.py [--logins 40] [--concurrency 4] [--verifications 20000]

Runs identity in-process against a throw-away PostgreSQL database and RabbitMQ vhost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

import httpx

import dvc_identity
from dvc_common.principal import Role
from dvc_common.tokens import Denylist, TokenVerifier
from dvc_devkit.testing.infra import postgres_database, rabbitmq_vhost
from dvc_identity.app import build
from dvc_identity.schemas import OfficerIn
from dvc_identity.service.context import Origin
from dvc_identity.service.officers import open_account
from dvc_identity.settings import IdentitySettings

MIGRATIONS = Path(dvc_identity.__file__).parent / "migrations"
ISSUER = "http://127.0.0.1:8007"
PASSWORD = "Lai-Chau-2026-an-toan!"


async def run(args: argparse.Namespace, db: str, amqp: str) -> None:
    settings = IdentitySettings(database_url=db, amqp_url=amqp, public_url=ISSUER, log_level="WARNING")
    print(
        f"argon2id: time_cost={settings.argon2_time_cost} memory={settings.argon2_memory_kib} KiB "
        f"parallelism={settings.argon2_parallelism} (production defaults); cores={os.cpu_count()}"
    )
    app = build(settings)
    async with app.router.lifespan_context(app):
        async with app.state.runtime.transaction() as session:
            _, temporary = await open_account(
                session,
                app.state.identity,
                None,
                OfficerIn(
                    username="bench.officer",
                    agency_id="000.00.14.H56",
                    full_name="Bench",
                    position="Chuyên viên xử lý",
                    roles=[Role.PROCESSING_OFFICER],
                    email="bench.officer@laichau.gov.vn",
                ),
                Origin("bench"),
            )
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
        async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
            first = await client.post(
                "/api/v1/auth/password",
                json={
                    "username": "bench.officer",
                    "current_password": temporary,
                    "new_password": PASSWORD,
                },
            )
            token = first.json()["access_token"]
            jwks: dict[str, Any] = (await client.get("/.well-known/jwks.json")).json()

            async def one() -> None:
                response = await client.post(
                    "/api/v1/auth/login", json={"username": "bench.officer", "password": PASSWORD}
                )
                assert response.status_code == 200, response.text

            queue = list(range(args.logins))

            async def worker() -> None:
                while queue:
                    queue.pop()
                    await one()

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(args.concurrency)))
            elapsed = time.perf_counter() - started
            print(
                f"logins: {args.logins} in {elapsed:.2f} s = {args.logins / elapsed:.1f} logins/s "
                f"(concurrency {args.concurrency}, full HTTP use-case with audit and refresh token)"
            )

    fetches = 0

    async def fetch(_: str) -> dict[str, Any]:
        nonlocal fetches
        fetches += 1
        return jwks

    denylist = Denylist()
    verifier = TokenVerifier(
        f"{ISSUER}/.well-known/jwks.json",
        issuer=ISSUER,
        audience="dvc",
        fetch=fetch,
        revoked=denylist.revoked,
    )
    await verifier.verify(token)
    started = time.perf_counter()
    for _ in range(args.verifications):
        await verifier.verify(token)
    elapsed = time.perf_counter() - started
    print(
        f"verifications: {args.verifications} in {elapsed:.2f} s = {args.verifications / elapsed:,.0f} verifications/s "
        f"(ES256, with the denylist check); JWKS fetches: {fetches} (no call to identity per request)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--verifications", type=int, default=20000)
    args = parser.parse_args()
    with (
        postgres_database("dvc_identity_bench", MIGRATIONS) as db,
        rabbitmq_vhost("dvc-identity-bench") as vhost,
    ):
        asyncio.run(run(args, db, vhost.url))


if __name__ == "__main__":
    main()
