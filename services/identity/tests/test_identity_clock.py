"""The system clock's owner: the provincial operator shows and moves it forward; every change is audited
and announced; every replica follows (pushed event, and the setting read at start); tokens live their
lifetime on the moved clock; production refuses.

This module moves the process's clock, so it has its own database and RabbitMQ vhost and puts the
clock back to the wall clock at the end (a live system never moves back).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from identity_support import (
    CLIENT_ADDRESS,
    ISSUER,
    MIGRATIONS,
    ROOT,
    STRONG,
    XD,
    Cli,
    Env,
    bearer,
    cli_environment,
    identity_settings,
    problem_type,
)
from pydantic import SecretStr

from dvc_common.clock import SYSTEM_CLOCK, VIETNAM, Clock, ClockSetting
from dvc_common.clock_follow import ClockFollower
from dvc_common.db import make_engine
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.infra import postgres_database, rabbitmq_vhost
from dvc_identity.app import build
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.settings import SandboxSettings

pytestmark = pytest.mark.asyncio(loop_scope="session")

BEFORE_TET = datetime(2027, 2, 3, 15, 30, tzinfo=VIETNAM)  # Wednesday, the last working day before Tết


@pytest.fixture(scope="module")
def clock_db() -> Iterator[str]:
    with postgres_database("dvc_identity_clock_test", MIGRATIONS) as url:
        yield url


@pytest.fixture(scope="module")
def clock_vhost() -> Iterator[str]:
    with rabbitmq_vhost("dvc-identity-clock-test") as vhost:
        yield vhost.url


@pytest.fixture(scope="module")
async def owner(clock_db: str, clock_vhost: str) -> AsyncIterator[Env]:
    """Identity on its own database, with the first provincial operator; the clock reset afterwards."""
    sandbox = create_sandbox(SandboxSettings())
    outbound = httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), timeout=10)
    app = build(identity_settings(clock_db, clock_vhost), http=outbound)
    engine = make_engine(clock_db, pool_size=2)
    cli = Cli(cli_environment(clock_db, clock_vhost))
    try:
        async with app.router.lifespan_context(app):
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(CLIENT_ADDRESS, 50000)), base_url=ISSUER
            )
            env = Env(app, sandbox, client, engine, cli, clock_db, clock_vhost)
            created = cli.run("bootstrap-operator", ROOT, "--name", "Quản trị gốc")
            assert created.returncode == 0, created.stderr
            await env.activate(ROOT, created.stdout.strip())
            yield env
            await client.aclose()
    finally:
        SYSTEM_CLOCK.reset()
        await outbound.aclose()
        await engine.dispose()


async def show(env: Env) -> dict[str, object]:
    response = await env.client.get("/api/v1/clock", headers=bearer(await env.root_token()))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def move(env: Env, token: str | None = None, **change: object) -> httpx.Response:
    """A clock change by `token`, or by a fresh login of the operator (a jump expires tokens)."""
    headers = bearer(token or await env.root_token())
    return await env.client.post("/api/v1/clock", headers=headers, json=change)


def replica_runtime(env: Env, clock: Clock) -> ServiceRuntime:
    """Another service's process: its own clock, on the same broker."""
    settings = ServiceSettings(
        service_name="clock-follower-test",
        database_url=SecretStr(env.database_url),
        amqp_url=SecretStr(env.amqp_url),
        db_pool_size=1,
        log_json=False,
    )
    return ServiceRuntime(settings, clock=clock)


async def test_the_operator_sets_the_clock_and_every_replica_follows(owner: Env) -> None:
    token = await owner.root_token()
    before = await show(owner)
    assert before["mode"] == "wall" and before["movable"] is True and before["version"] == 0

    other = Clock()
    heard = asyncio.Event()
    other.on_change(lambda _: heard.set())
    replica = replica_runtime(owner, other)
    await replica.start(relay=False)
    try:
        moved = await move(owner, token, set_to=BEFORE_TET.isoformat())
        assert moved.status_code == 200, moved.text
        await asyncio.wait_for(heard.wait(), timeout=10)  # clock.changed.v1 through the outbox and broker
    finally:
        await replica.stop()

    view = moved.json()
    assert view["mode"] == "running" and view["version"] == 1
    assert view["now_local"].endswith("ngày 03/02/2027") and view["now_local"].startswith("15:3")
    assert view["description"].startswith("Đồng hồ chạy nhanh hơn giờ thật")
    assert abs(other.now() - SYSTEM_CLOCK.now()) < timedelta(seconds=1)
    assert other.setting.version == 1

    # A replica started later reads the setting (no event for it): the same time.
    late = Clock()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=owner.app), base_url=ISSUER) as http:
        follower = ClockFollower(ISSUER + "/api/v1/clock/setting", late, http=http)
        await follower.refresh()
        await follower.ready()
    assert late.setting == SYSTEM_CLOCK.setting
    assert abs(late.now() - BEFORE_TET) < timedelta(minutes=1)

    # Audited in the account audit chain, with who, from and to (the old token expired in the jump).
    token = await owner.root_token()
    records = [r for r in await owner.audit(token) if r["action"] == "clock.changed"]
    assert len(records) == 1
    detail = records[0]["detail"]
    assert detail["version"] == 1 and detail["frozen"] is False
    assert datetime.fromisoformat(detail["to"]) - BEFORE_TET < timedelta(seconds=5)
    assert records[0]["actor_kind"] == "officer" and records[0]["source_address"] == CLIENT_ADDRESS
    verify = await owner.client.get("/api/v1/audit/verify", headers=bearer(token))
    assert verify.json()["intact"] is True
    events = await owner.events("system-clock")
    assert [key for key, _ in events] == ["clock.changed.v1"]
    assert ClockSetting.model_validate(events[0][1]) == SYSTEM_CLOCK.setting


async def test_advance_and_freeze(owner: Env) -> None:
    start = SYSTEM_CLOCK.now()
    frozen = await move(owner, set_to=(start + timedelta(hours=1)).isoformat(), frozen=True)
    assert frozen.status_code == 200, frozen.text
    assert frozen.json()["mode"] == "frozen"
    at = SYSTEM_CLOCK.now()
    advanced = await move(owner, advance_by="PT2H30M")
    assert advanced.status_code == 200, advanced.text
    assert advanced.json()["mode"] == "frozen", "advancing keeps a frozen clock frozen"
    assert SYSTEM_CLOCK.now() == at + timedelta(hours=2, minutes=30)
    resumed = await move(owner, set_to=SYSTEM_CLOCK.now().isoformat(), frozen=False)
    assert resumed.json()["mode"] == "running"


async def test_the_clock_never_moves_backwards(owner: Env) -> None:
    version = SYSTEM_CLOCK.setting.version
    earlier = await move(owner, set_to=(SYSTEM_CLOCK.now() - timedelta(hours=1)).isoformat())
    assert earlier.status_code == 409
    assert problem_type(earlier) == "clock-backwards"
    assert "Không thể lùi đồng hồ" in earlier.json()["detail"]
    negative = await move(owner, advance_by="-PT1H")
    assert negative.status_code == 409 and "lớn hơn 0" in negative.json()["detail"]
    neither = await move(owner)
    assert neither.status_code == 422
    assert SYSTEM_CLOCK.setting.version == version


async def test_only_the_provincial_operator_sees_and_moves_the_clock(owner: Env) -> None:
    token = await owner.root_token()
    response = await owner.client.post(
        "/api/v1/officers",
        headers=bearer(token),
        json={
            "username": "xd.quantri.dongho",
            "agency_id": XD,
            "full_name": "Lò Thị Giờ",
            "position": "Quản trị tài khoản cơ quan",
            "roles": ["agency_admin"],
            "email": "gio.lt@laichau.gov.vn",
        },
    )
    temporary = await owner.temporary_password(response.json()["officer"]["id"])
    admin = (await owner.activate("xd.quantri.dongho", temporary))["access_token"]
    assert (await owner.client.get("/api/v1/clock", headers=bearer(admin))).status_code == 403
    assert (await move(owner, admin, advance_by="PT1H")).status_code == 403
    assert (await owner.client.post("/api/v1/clock", json={"advance_by": "PT1H"})).status_code == 401
    setting = await owner.client.get("/api/v1/clock/setting")
    assert setting.status_code == 200 and setting.json()["version"] == SYSTEM_CLOCK.setting.version


async def test_tokens_live_their_lifetime_on_the_moved_clock(owner: Env) -> None:
    token = await owner.root_token()
    assert (await owner.client.get("/api/v1/officers/me", headers=bearer(token))).status_code == 200
    advanced = await move(owner, token, advance_by="PT10M")  # access tokens live 5 minutes
    assert advanced.status_code == 200
    expired = await owner.client.get("/api/v1/officers/me", headers=bearer(token))
    assert expired.status_code == 401, "a token issued before the jump has expired on the system clock"
    fresh = await owner.login(ROOT, STRONG)
    assert fresh.status_code == 200
    again = await owner.client.get("/api/v1/officers/me", headers=bearer(fresh.json()["access_token"]))
    assert again.status_code == 200, "a token issued on the moved clock is valid on it"


@pytest.fixture
def production_db() -> Iterator[str]:
    with postgres_database("dvc_identity_prod_clock_test", MIGRATIONS) as url:
        yield url


async def test_in_production_the_clock_cannot_be_moved(production_db: str) -> None:
    database_url = production_db.replace("postgres@", "postgres:Kh0ng-phai-mac-dinh@")  # trust: ignored
    amqp_url = "amqp://dvc:Kh0ng-phai-mac-dinh@127.0.0.1:5672/unused"  # never connected (no lifespan)
    strong = {
        "environment": "production",
        "signing_key_passphrase": "Kh0ng-phai-mac-dinh-khoa-ky",
        "vneid_client_secret": "Kh0ng-phai-mac-dinh-vneid",
        "population_api_key": "Kh0ng-phai-mac-dinh-dan-cu",
    }
    settings = identity_settings(database_url, amqp_url, **strong)
    private = Clock()  # this process's clock stays movable for the other tests
    app = build(settings, clock=private)
    env = cli_environment(database_url, amqp_url) | {
        "DVC_IDENTITY_" + key.upper(): value for key, value in strong.items()
    }
    created = Cli(env | {"PATH": os.environ.get("PATH", "")}).run(
        "bootstrap-operator", "vp.vanhanh", "--name", "Quản trị vận hành"
    )
    assert created.returncode == 0, created.stderr
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as client:
        activated = await client.post(
            "/api/v1/auth/password",
            json={
                "username": "vp.vanhanh",
                "current_password": created.stdout.strip(),
                "new_password": STRONG,
            },
        )
        assert activated.status_code == 200, activated.text
        token = activated.json()["access_token"]
        refused = await client.post("/api/v1/clock", headers=bearer(token), json={"advance_by": "PT1H"})
        shown = await client.get("/api/v1/clock", headers=bearer(token))
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["title"] == "Không thể chỉnh đồng hồ trong môi trường vận hành thật"
    assert problem_type(refused) == "clock-fixed"
    assert shown.json()["movable"] is False and shown.json()["mode"] == "wall"
    assert abs(datetime.fromisoformat(shown.json()["now"]) - datetime.now(UTC)) < timedelta(seconds=30)
    assert private.setting.version == 0
