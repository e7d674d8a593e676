"""K2: a one-stop officer resolves the identifier on a person's papers (CCCD / personal identification
number, organisation code) to the account whose data store a counter dossier goes to (Lai Châu Điều
10.1.a), against the sandbox's VNeID: known accounts, accounts never signed in, nobody, malformed."""

from __future__ import annotations

import pytest
from identity_support import XD, Env, admins, bearer, citizen_login, jwt_part
from identity_support import problem_type as slug

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _desk(env: Env, suffix: str) -> str:
    _, xd_admin, _ = await admins(env, f"resolve.{suffix}")
    _, tokens = await env.officer(xd_admin, f"xd.motcua.{suffix}", XD, ["one_stop_officer"])
    token: str = tokens["access_token"]
    return token


async def test_a_person_who_never_signed_in_is_verified_with_vneid_and_keeps_that_account(env: Env) -> None:
    desk = await _desk(env, "a")
    body = {"identifier": "011400001234", "kind": "citizen"}
    first = await env.client.post("/api/v1/citizens/resolve", json=body, headers=bearer(desk))
    assert first.status_code == 200, first.text
    assert first.json()["name"] == "Vàng A Dình" and first.json()["kind"] == "citizen"
    again = await env.client.post("/api/v1/citizens/resolve", json=body, headers=bearer(desk))
    assert again.json()["subject"] == first.json()["subject"]
    # The person's first VNeID login lands in the same account, hence the same data store.
    tokens = await citizen_login(env, "011400001234")
    assert jwt_part(tokens["access_token"], 1)["sub"] == first.json()["subject"]
    trail = await env.audit(await env.root_token(), target=first.json()["subject"])
    mine = [r for r in trail if r["action"] == "citizen.resolved"]
    assert [r["detail"]["via"] for r in mine] == ["vneid", "identity"]
    assert all(r["actor_kind"] == "officer" and r["detail"]["found"] for r in mine)


async def test_an_organisation_resolves_by_its_code(env: Env) -> None:
    desk = await _desk(env, "b")
    response = await env.client.post(
        "/api/v1/citizens/resolve",
        json={"identifier": "6200012345", "kind": "organisation"},
        headers=bearer(desk),
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Công ty TNHH Xây dựng Tây Bắc"
    # A citizen's number is no organisation's code, and the other way round.
    wrong_kind = await env.client.post(
        "/api/v1/citizens/resolve",
        json={"identifier": "6200012345", "kind": "citizen"},
        headers=bearer(desk),
    )
    assert wrong_kind.status_code == 422 and slug(wrong_kind) == "malformed-identifier"


async def test_nobody_with_that_number_is_a_404_never_a_silent_accept(env: Env) -> None:
    desk = await _desk(env, "c")
    # In the population database but without a VNeID account: the desk must help create one first.
    for identifier in ("011400005678", "012999999999"):
        response = await env.client.post(
            "/api/v1/citizens/resolve", json={"identifier": identifier}, headers=bearer(desk)
        )
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert slug(response) == "subject-not-found" and "VNeID" in response.json()["detail"]
    trail = await env.audit(await env.root_token())
    assert {"012999999999", "011400005678"} <= {
        r["detail"]["identifier"]
        for r in trail
        if r["action"] == "citizen.resolved" and not r["detail"]["found"]
    }


async def test_a_malformed_identifier_is_a_422_in_vietnamese(env: Env) -> None:
    desk = await _desk(env, "d")
    for identifier, kind in [
        ("01234567890", "citizen"),
        ("0123456789012", "citizen"),
        ("01234567890a", "citizen"),
        ("000123456789", "citizen"),  # no province has code 000
        ("620001234", "organisation"),
        ("6200012345-1", "organisation"),
    ]:
        response = await env.client.post(
            "/api/v1/citizens/resolve", json={"identifier": identifier, "kind": kind}, headers=bearer(desk)
        )
        assert response.status_code == 422 and slug(response) == "malformed-identifier", identifier
        assert any(word in response.json()["detail"] for word in ("12 chữ số", "mã tỉnh", "10 chữ số"))


async def test_only_a_one_stop_desk_resolves(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "resolve.e")
    _, processing = await env.officer(xd_admin, "xd.xuly.resolve", XD, ["processing_officer"])
    body = {"identifier": "012345678901"}
    refused = await env.client.post(
        "/api/v1/citizens/resolve", json=body, headers=bearer(processing["access_token"])
    )
    assert refused.status_code == 403
    citizen = await citizen_login(env, "012345678902")
    assert (
        await env.client.post("/api/v1/citizens/resolve", json=body, headers=bearer(citizen["access_token"]))
    ).status_code == 403
    assert (await env.client.post("/api/v1/citizens/resolve", json=body)).status_code == 401
