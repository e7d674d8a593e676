"""`dvc-identity` as the operator runs it: bootstrap-operator on a fresh installation and on a running
one, and rotate-keys while the service is serving."""

from __future__ import annotations

import asyncio

from identity_support import (
    MIGRATIONS,
    VP,
    Cli,
    Env,
    bearer,
    cli_environment,
    jwt_part,
    problem_type,
)
from sqlalchemy import text

from dvc_common.db import make_engine
from dvc_devkit.testing.infra import postgres_database


async def test_bootstrap_operator_creates_the_first_account_with_a_temporary_password(env: Env) -> None:
    done = env.cli.run("bootstrap-operator", "vp.quantri.cli", "--name", "Đỗ Thị Hằng")
    assert done.returncode == 0, done.stderr
    temporary = done.stdout.strip()
    assert len(done.stdout.splitlines()) == 1 and len(temporary) >= 12
    first = await env.login("vp.quantri.cli", temporary)
    assert first.status_code == 403 and problem_type(first) == "password-change-required"
    tokens = await env.activate("vp.quantri.cli", temporary)
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))).json()
    assert me["agency_id"] == VP and me["full_name"] == "Đỗ Thị Hằng"
    assert me["roles"] == ["agency_admin", "provincial_operator"]
    assert me["position"] == "Quản trị hệ thống cấp tỉnh"
    # The new operator can do what operators do: open an agency administrator's account.
    opened = await env.client.post(
        "/api/v1/officers",
        headers=bearer(tokens["access_token"]),
        json={
            "username": "yt.admin.cli",
            "agency_id": "000.00.09.H56",
            "full_name": "Quản trị Sở Y tế",
            "position": "Quản trị tài khoản cơ quan",
            "roles": ["agency_admin"],
            "email": "quantri@syt.laichau.gov.vn",
        },
    )
    assert opened.status_code == 201
    record = next(
        r
        for r in await env.audit(tokens["access_token"], target=me["id"])
        if r["action"] == "officer.created"
    )
    assert record["actor"] is None and record["actor_kind"] == "system"
    assert record["source_address"] == "cli" and record["user_agent"] == "dvc-identity"


async def test_bootstrap_operator_refuses_an_existing_username(env: Env) -> None:
    again = env.cli.run("bootstrap-operator", "vp.goc")
    assert again.returncode == 1 and again.stdout == ""
    assert "Tài khoản vp.goc đã tồn tại." in again.stderr


async def test_bootstrap_operator_in_another_agency(env: Env) -> None:
    done = env.cli.run("bootstrap-operator", "khcn.quantri.cli", "--agency", "000.00.07.H56")
    assert done.returncode == 0, done.stderr
    tokens = await env.activate("khcn.quantri.cli", done.stdout.strip())
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(tokens["access_token"]))).json()
    assert me["agency_id"] == "000.00.07.H56" and me["full_name"] == "Quản trị hệ thống"


async def _installed(url: str) -> tuple[int, list[object]]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            agencies = (await conn.execute(text("SELECT count(*) FROM identity_agency"))).scalar_one()
            officer = (
                await conn.execute(
                    text("SELECT username, agency_id, roles, must_change_password FROM identity_officer")
                )
            ).all()
        return int(agencies), [tuple(row) for row in officer]
    finally:
        await engine.dispose()


def test_bootstrap_operator_on_a_fresh_installation_seeds_the_agency_tree(identity_vhost: str) -> None:
    """Before the service ever ran: the account needs the agency tree, so the command seeds it."""
    with postgres_database("dvc_identity_cli_test", MIGRATIONS) as url:
        done = Cli(cli_environment(url, identity_vhost)).run("bootstrap-operator", "vp.dau.tien")
        assert done.returncode == 0, done.stderr
        agencies, officers = asyncio.run(_installed(url))
    assert agencies >= 20
    assert officers == [("vp.dau.tien", VP, ["agency_admin", "provincial_operator"], True)]


async def test_rotate_keys_adds_a_key_the_running_service_picks_up(env: Env) -> None:
    before_token = await env.root_token()
    before = {k["kid"] for k in (await env.client.get("/.well-known/jwks.json")).json()["keys"]}
    done = env.cli.run("rotate-keys")
    assert done.returncode == 0, done.stderr
    kid = done.stdout.strip()
    assert kid and kid not in before
    # Each replica reloads its key ring from the database within half a minute; this is that reload.
    await env.app.state.identity.keys.reload()
    after = {k["kid"] for k in (await env.client.get("/.well-known/jwks.json")).json()["keys"]}
    assert after >= before | {kid}
    assert jwt_part(await env.root_token(), 0)["kid"] == kid
    assert (await env.client.get("/api/v1/officers/me", headers=bearer(before_token))).status_code == 200
    rotated = [r for r in await env.audit(await env.root_token(), target=kid)]
    assert [(r["action"], r["actor_kind"], r["source_address"]) for r in rotated] == [
        ("signing_key.rotated", "system", "cli")
    ]
