"""Citizens and organisations sign in with VNeID (OpenID Connect, authorization code + PKCE) through
the sandbox's VNeID simulator: the redirect, the callback, the profile, and every way a login fails."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from identity_support import (
    ISSUER,
    SANDBOX,
    Env,
    authorize,
    bearer,
    citizen_login,
    jwt_part,
)
from identity_support import problem_type as slug

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def test_the_login_sends_the_citizen_to_vneid_with_pkce(env: Env) -> None:
    first = await env.client.get("/api/v1/citizen/login")
    second = await env.client.get("/api/v1/citizen/login")
    assert first.status_code == 302 and first.headers["cache-control"] == "no-store"
    location = first.headers["location"]
    assert location.startswith(SANDBOX + "/vneid/authorize?")
    query = _query(location)
    assert query["response_type"] == "code" and query["client_id"] == "dvc-dev"
    assert query["redirect_uri"] == ISSUER + "/api/v1/citizen/callback"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert "openid" in query["scope"].split()
    again = _query(second.headers["location"])
    for fresh in ("state", "nonce", "code_challenge"):
        assert query[fresh] != again[fresh]


async def test_a_citizen_gets_an_account_from_vneid_and_keeps_it(env: Env) -> None:
    first = await citizen_login(env, "012345678901")
    second = await citizen_login(env, "012345678901")
    claims = jwt_part(first["access_token"], 1)
    assert claims["kind"] == "citizen" and claims["name"] == "Nguyễn Văn An"
    assert jwt_part(second["access_token"], 1)["sub"] == claims["sub"]  # the same account both times
    me = await env.client.get("/api/v1/citizen/me", headers=bearer(second["access_token"]))
    assert me.json() == {
        "id": claims["sub"],
        "kind": "citizen",
        "identifier": "012345678901",
        "full_name": "Nguyễn Văn An",
        "birth_date": "1985-03-12",
        "assurance_level": 2,
    }
    trail = await env.audit(await env.root_token(), target=claims["sub"])
    assert [r["action"] for r in trail] == ["citizen.login_succeeded"] * 2
    assert trail[0]["actor_kind"] == "citizen" and trail[0]["detail"] == {"assurance_level": 2}


async def test_an_organisation_account_carries_its_tax_code(env: Env) -> None:
    tokens = await citizen_login(env, "6200067890")
    me = (await env.client.get("/api/v1/citizen/me", headers=bearer(tokens["access_token"]))).json()
    assert me["kind"] == "organisation" and me["identifier"] == "6200067890"
    assert me["full_name"] == "Hợp tác xã Chè Tân Uyên" and me["birth_date"] is None


async def test_an_officer_has_no_citizen_profile(env: Env) -> None:
    response = await env.client.get("/api/v1/citizen/me", headers=bearer(await env.root_token()))
    assert response.status_code == 403 and response.json()["detail"] == "Chỉ dành cho công dân, tổ chức."
    assert (await env.client.get("/api/v1/citizen/me")).status_code == 401


async def test_a_citizen_who_cancels_at_vneid_is_not_signed_in(env: Env) -> None:
    start = await env.client.get("/api/v1/citizen/login")
    back = await authorize(env, start.headers["location"], "012345678902", decision="deny")
    denied = await env.client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert denied.status_code == 400 and slug(denied) == "vneid-login-rejected"
    assert denied.json()["detail"] == "VNeID không xác nhận đăng nhập."
    # The login was used up by the refusal: it cannot be completed afterwards.
    state = _query(start.headers["location"])["state"]
    late = await env.client.get("/api/v1/citizen/callback", params={"state": state, "code": "bat-ky"})
    assert late.status_code == 400


async def test_a_callback_without_state_or_for_an_old_login_is_refused(env: Env) -> None:
    no_state = await env.client.get("/api/v1/citizen/callback", params={"code": "abc"})
    assert no_state.status_code == 400 and no_state.json()["detail"] == "Thiếu tham số state."
    start = await env.client.get("/api/v1/citizen/login")
    back = await authorize(env, start.headers["location"], "012345678902")
    # The citizen came back eleven minutes later: a login is good for ten.
    state = _query(start.headers["location"])["state"]
    await env.sql(
        "UPDATE identity_oidc_login SET created_at = created_at - interval '11 minutes' WHERE state = :s",
        s=state,
    )
    late = await env.client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert late.status_code == 400 and "hết hạn" in late.json()["detail"]
    rejected = [r for r in await env.audit(await env.root_token()) if r["action"] == "citizen.login_rejected"]
    assert rejected[-1]["detail"] == {"reason": "unknown_or_replayed_state"} and rejected[-1]["actor"] is None


async def test_a_code_bound_to_another_challenge_is_refused(env: Env) -> None:
    """PKCE: a code obtained for someone else's challenge cannot be exchanged with our verifier."""
    start = await env.client.get("/api/v1/citizen/login")
    back = await authorize(env, start.headers["location"], "012345678902", code_challenge="A" * 43)
    refused = await env.client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert refused.status_code == 400 and slug(refused) == "vneid-login-rejected"
    assert refused.json()["detail"] == "Không xác thực được thông tin đăng nhập từ VNeID."
    rejected = [r for r in await env.audit(await env.root_token()) if r["action"] == "citizen.login_rejected"]
    assert "token endpoint answered 400" in rejected[-1]["detail"]["reason"]


async def test_vneid_being_down_is_said_plainly(env: Env) -> None:
    """A replica configured with a VNeID address where no VNeID answers."""
    async with env.replica(vneid_url=SANDBOX + "/khong-co-vneid") as without_vneid:
        response = await without_vneid.get("/api/v1/citizen/login")
    assert response.status_code == 503 and slug(response) == "vneid-unavailable"
    assert response.json()["title"] == "VNeID chưa sẵn sàng"
