"""Access and refresh tokens as clients and the other services see them: what a token says, how
another service verifies it against identity's JWKS, refresh and logout, and signing-key rotation."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from identity_support import ISSUER, XD, Env, admins, bearer, citizen_login, jwt_part, problem_type

from dvc_common.tokens import TokenVerifier

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _verifier(env: Env) -> TokenVerifier:
    """The verifier another service builds: identity's JWKS fetched over HTTP."""

    async def fetch(url: str) -> dict[str, Any]:
        response = await env.client.get(httpx.URL(url).path)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document

    return TokenVerifier(ISSUER + "/.well-known/jwks.json", issuer=ISSUER, audience="dvc", fetch=fetch)


async def test_a_login_issues_a_short_access_token_and_a_longer_refresh_token(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "token")
    officer_id, _ = await env.officer(
        xd_admin, "xd.ma.truy.cap", XD, ["processing_officer"], "Chuyên viên xử lý"
    )
    login = await env.login("xd.ma.truy.cap")
    assert login.status_code == 200
    pair = login.json()
    assert set(pair) == {"access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"}
    assert (
        pair["token_type"] == "Bearer"
        and pair["expires_in"] == 300
        and pair["refresh_expires_in"] == 8 * 3600
    )
    header, claims = jwt_part(pair["access_token"], 0), jwt_part(pair["access_token"], 1)
    jwks = (await env.client.get("/.well-known/jwks.json")).json()["keys"]
    assert header["alg"] == "ES256" and header["kid"] in {k["kid"] for k in jwks}
    assert all(set(k) >= {"kty", "crv", "x", "y", "kid", "use", "alg"} and "d" not in k for k in jwks)
    assert claims["sub"] == officer_id and claims["iss"] == ISSUER and claims["aud"] == "dvc"
    assert claims["kind"] == "officer" and claims["agency"] == XD
    assert claims["roles"] == ["processing_officer"] and claims["position"] == "Chuyên viên xử lý"
    assert claims["name"] == "Cán bộ xd.ma.truy.cap"
    assert claims["exp"] - int(claims["iat"]) == 300 and claims["nbf"] == claims["iat"]
    principal = await _verifier(env).verify(pair["access_token"])
    assert principal.subject == officer_id and principal.agency_id == XD
    assert principal.roles == frozenset({"processing_officer"}) and principal.kind == "officer"


async def test_the_issuer_describes_itself(env: Env) -> None:
    document = (await env.client.get("/.well-known/openid-configuration")).json()
    assert document == {
        "issuer": ISSUER,
        "jwks_uri": ISSUER + "/.well-known/jwks.json",
        "token_endpoint": ISSUER + "/api/v1/auth/login",
        "id_token_signing_alg_values_supported": ["ES256"],
    }


async def test_refresh_gives_a_new_pair_with_current_details(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "lam.moi")
    officer_id, tokens = await env.officer(xd_admin, "xd.doi.ten", XD, ["processing_officer"])
    await env.client.patch(
        f"/api/v1/officers/{officer_id}", headers=bearer(xd_admin), json={"full_name": "Lò Thị Mai"}
    )
    refreshed = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    pair = refreshed.json()
    assert pair["refresh_token"] != tokens["refresh_token"] and pair["access_token"] != tokens["access_token"]
    claims = jwt_part(pair["access_token"], 1)
    assert claims["sub"] == officer_id and claims["name"] == "Lò Thị Mai"
    assert (
        await env.client.get("/api/v1/officers/me", headers=bearer(pair["access_token"]))
    ).status_code == 200
    for bad in ("khong-phai-ma-lam-moi-hop-le", pair["access_token"][:200]):
        refused = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": bad})
        assert refused.status_code == 401 and problem_type(refused) == "invalid-refresh-token"
    assert (await env.client.post("/api/v1/auth/refresh", json={"refresh_token": "ngan"})).status_code == 422


async def test_logout_ends_the_whole_session(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "dang.xuat")
    officer_id, tokens = await env.officer(xd_admin, "xd.dang.xuat", XD, ["processing_officer"])
    second = (
        await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).json()
    out = await env.client.post("/api/v1/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert out.status_code == 204
    after = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    other = await env.login("xd.dang.xuat")  # another session (another device) is not touched
    assert (
        await env.client.post("/api/v1/auth/refresh", json={"refresh_token": other.json()["refresh_token"]})
    ).status_code == 200
    unknown = await env.client.post("/api/v1/auth/logout", json={"refresh_token": "da-het-han-tu-lau-roi"})
    assert unknown.status_code == 204
    assert "logout" in [r["action"] for r in await env.audit(operator, target=officer_id)]


async def test_a_citizen_session_refreshes_as_a_citizen(env: Env) -> None:
    tokens = await citizen_login(env, "011300009876")
    refreshed = await env.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    before, after = jwt_part(tokens["access_token"], 1), jwt_part(refreshed.json()["access_token"], 1)
    assert after["kind"] == "citizen" and after["sub"] == before["sub"] and after["name"] == "Giàng Thị Mỷ"
    assert "roles" not in after and "agency" not in after
    me = await env.client.get("/api/v1/citizen/me", headers=bearer(refreshed.json()["access_token"]))
    assert me.status_code == 200 and me.json()["identifier"] == "011300009876"


async def test_rotation_signs_with_a_new_key_and_keeps_older_tokens_valid(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "xoay")
    verifier = _verifier(env)
    old_token = (await env.login("vp.quantri.xoay")).json()["access_token"]
    old_kid = jwt_part(old_token, 0)["kid"]
    assert (
        await env.client.post("/api/v1/admin/signing-keys/rotate", headers=bearer(xd_admin))
    ).status_code == 403
    first = await env.client.post("/api/v1/admin/signing-keys/rotate", headers=bearer(operator))
    second = await env.client.post("/api/v1/admin/signing-keys/rotate", headers=bearer(operator))
    assert first.status_code == second.status_code == 200
    kids = [k["kid"] for k in (await env.client.get("/.well-known/jwks.json")).json()["keys"]]
    # Every key that signed a token still alive stays published.
    assert {old_kid, first.json()["kid"], second.json()["kid"]} <= set(kids)
    fresh = (await env.login("vp.quantri.xoay")).json()["access_token"]
    assert jwt_part(fresh, 0)["kid"] == second.json()["kid"]
    for token in (old_token, fresh):
        assert (await verifier.verify(token)).roles >= {"provincial_operator"}
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(old_token))).json()
    rotations = [r for r in await env.audit(operator, actor=me["id"]) if r["action"] == "signing_key.rotated"]
    assert [r["target"] for r in rotations] == [first.json()["kid"], second.json()["kid"]]


async def test_a_token_signed_by_a_key_identity_never_had_is_refused(env: Env) -> None:
    impostor = ec.generate_private_key(ec.SECP256R1())
    genuine = await env.root_token()
    forged = jwt.encode(jwt_part(genuine, 1), impostor, algorithm="ES256", headers={"kid": "khoa-gia-mao"})
    assert (await env.client.get("/api/v1/officers/me", headers=bearer(genuine))).status_code == 200
    assert (await env.client.get("/api/v1/officers/me", headers=bearer(forged))).status_code == 401
    with pytest.raises(jwt.InvalidTokenError):
        await _verifier(env).verify(forged)
