"""Simulated VNeID (national electronic identity) OpenID Connect provider.

Discovery, /authorize with a simple login form (pick or type a test identity), /token (code + PKCE
S256 verifier, client authentication), /userinfo and /jwks; and the account check a one-stop desk
makes at the counter (Lai Châu Điều 10.1.a): ``POST /vneid/api/accounts/verify`` with the client's
credentials and ``{"identifier", "kind"}`` answers the account (``sub`` and name) or 404. ID tokens are signed ES256 with a key
generated when the sandbox starts. The issuer is this sandbox's own base URL + ``/vneid``.
Clients: ``SANDBOX_VNEID_CLIENT_ID`` / ``SANDBOX_VNEID_CLIENT_SECRET`` (defaults dvc-dev /
dev-sandbox-vneid-secret); redirect URIs must point at 127.0.0.1 or localhost.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from dvc_common import clock

from .vneid_people import CITIZENS, ORGANISATIONS, vneid_claims

CODE_SECONDS = 120
TOKEN_SECONDS = 600
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass
class VneidState:
    client_id: str
    client_secret: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    kid: str = field(default_factory=lambda: "vneid-" + secrets.token_hex(4))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, tuple[dict[str, Any], float]] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> VneidState:
        return cls(
            client_id=os.environ.get("SANDBOX_VNEID_CLIENT_ID", "dvc-dev"),
            client_secret=os.environ.get("SANDBOX_VNEID_CLIENT_SECRET", "dev-sandbox-vneid-secret"),
        )

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key()))
        return public | {"kid": self.kid, "use": "sig", "alg": "ES256"}


router = APIRouter(prefix="/vneid", tags=["vneid"])


def get_state(request: Request) -> VneidState:
    state: VneidState = request.app.state.vneid
    return state


StateDep = Annotated[VneidState, Depends(get_state)]


def issuer_of(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/vneid"


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


@router.get("/.well-known/openid-configuration")
async def discovery(request: Request) -> dict[str, Any]:
    issuer = issuer_of(request)
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "profile"],
        "claims_supported": [
            "sub",
            "name",
            "birthdate",
            "gender",
            "personal_id",
            "account_type",
            "tax_code",
            "organisation_name",
            "loa",
        ],
    }


@router.get("/jwks")
async def jwks(state: StateDep) -> dict[str, Any]:
    return {"keys": [state.jwk()]}


def _redirect_allowed(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS


def _check_request(state: VneidState, params: dict[str, str]) -> str | None:
    if params.get("client_id") != state.client_id:
        return "Ứng dụng không được đăng ký với VNeID (client_id)."
    if not _redirect_allowed(params.get("redirect_uri", "")):
        return "Địa chỉ chuyển hướng (redirect_uri) không được phép."
    if params.get("response_type") != "code":
        return "Chỉ hỗ trợ response_type=code."
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        return "Bắt buộc PKCE với code_challenge_method=S256."
    if not params.get("state") or not params.get("nonce"):
        return "Thiếu state hoặc nonce."
    return None


PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


@router.get("/authorize", response_class=HTMLResponse)
async def authorize_form(request: Request, state: StateDep) -> HTMLResponse:
    params = {k: request.query_params.get(k, "") for k in PARAMS}
    problem = _check_request(state, params)
    if problem:
        return HTMLResponse(f"<h1>Yêu cầu không hợp lệ</h1><p>{html.escape(problem)}</p>", status_code=400)
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}">' for k, v in params.items()
    )
    options = "".join(
        f'<option value="{p["personal_id"]}">{html.escape(p["name"])} — {p["personal_id"]}</option>'
        for p in CITIZENS
        if p.get("vneid", True)
    ) + "".join(
        f'<option value="{o["tax_code"]}">{html.escape(o["organisation_name"])} — MST {o["tax_code"]}</option>'
        for o in ORGANISATIONS
    )
    page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập VNeID (mô phỏng)</title></head>
<body><h1>Đăng nhập bằng tài khoản định danh điện tử VNeID</h1>
<p>Môi trường mô phỏng: chọn hoặc nhập số định danh cá nhân (12 chữ số) hay mã số thuế của tổ chức.</p>
<form method="post" action="authorize">{hidden}
<label>Tài khoản thử nghiệm <select name="account">{options}</select></label>
<label>hoặc nhập số định danh <input name="login" pattern="[0-9]{{10,13}}"></label>
<button type="submit" name="decision" value="allow">Đăng nhập</button>
<button type="submit" name="decision" value="deny">Hủy</button>
</form></body></html>"""
    return HTMLResponse(page)


@router.post("/authorize")
async def authorize_submit(request: Request, state: StateDep) -> Any:
    form = await request.form()
    params = {k: str(form.get(k, "")) for k in PARAMS}
    problem = _check_request(state, params)
    if problem:
        return HTMLResponse(f"<h1>Yêu cầu không hợp lệ</h1><p>{html.escape(problem)}</p>", status_code=400)
    target = params["redirect_uri"]
    if form.get("decision") == "deny":
        query = urlencode({"error": "access_denied", "state": params["state"]})
        return RedirectResponse(f"{target}?{query}", status_code=302)
    login = str(form.get("login") or form.get("account") or "").strip()
    claims = vneid_claims(login)
    if claims is None:
        return HTMLResponse("<h1>Không tìm thấy tài khoản VNeID</h1>", status_code=400)
    code = secrets.token_urlsafe(32)
    state.codes[code] = {
        "claims": claims,
        "client_id": params["client_id"],
        "redirect_uri": target,
        "nonce": params["nonce"],
        "challenge": params["code_challenge"],
        "expires": clock.timestamp() + CODE_SECONDS,
    }
    return RedirectResponse(
        f"{target}?{urlencode({'code': code, 'state': params['state']})}", status_code=302
    )


def _client_credentials(authorization: str | None, form: dict[str, str]) -> tuple[str, str]:
    if authorization and authorization.lower().startswith("basic "):
        try:
            raw = base64.b64decode(authorization[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = raw.partition(":")
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@router.post("/token")
async def token(
    request: Request, state: StateDep, authorization: Annotated[str | None, Header()] = None
) -> JSONResponse:
    form = {k: str(v) for k, v in (await request.form()).items()}
    client_id, secret = _client_credentials(authorization, form)
    if client_id != state.client_id or not hmac.compare_digest(secret, state.client_secret):
        return oauth_error("invalid_client", "Xác thực ứng dụng không thành công.", 401)
    if form.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type", "Chỉ hỗ trợ authorization_code.")
    grant = state.codes.pop(form.get("code", ""), None)  # a code is good once
    if grant is None or grant["expires"] < clock.timestamp():
        return oauth_error("invalid_grant", "Mã xác thực không hợp lệ hoặc đã dùng.")
    if grant["client_id"] != client_id or grant["redirect_uri"] != form.get("redirect_uri"):
        return oauth_error("invalid_grant", "redirect_uri không khớp.")
    if not hmac.compare_digest(_s256(form.get("code_verifier", "")), grant["challenge"]):
        return oauth_error("invalid_grant", "code_verifier không khớp (PKCE).")
    now = int(clock.timestamp())
    claims = grant["claims"]
    id_token = jwt.encode(
        {
            **claims,
            "iss": issuer_of(request),
            "aud": client_id,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "nonce": grant["nonce"],
            "auth_time": now,
        },
        state.key,
        algorithm="ES256",
        headers={"kid": state.kid},
    )
    access = secrets.token_urlsafe(32)
    state.access_tokens[access] = (claims, clock.timestamp() + TOKEN_SECONDS)
    return JSONResponse(
        {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "id_token": id_token},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/userinfo")
async def userinfo(state: StateDep, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    scheme, _, value = (authorization or "").partition(" ")
    held = state.access_tokens.get(value) if scheme.lower() == "bearer" else None
    if held is None or held[1] < clock.timestamp():
        return oauth_error("invalid_token", "Mã truy cập không hợp lệ.", 401)
    return JSONResponse(held[0])


@router.post("/api/accounts/verify")
async def verify_account(
    request: Request, state: StateDep, authorization: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Whether a VNeID account exists for a personal ID / organisation code, for a registered client."""
    client_id, secret = _client_credentials(authorization, {})
    if client_id != state.client_id or not hmac.compare_digest(secret, state.client_secret):
        return oauth_error("invalid_client", "Xác thực ứng dụng không thành công.", 401)
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("identifier"), str):
        return JSONResponse({"error": "invalid", "message": "Thiếu số định danh."}, status_code=422)
    claims = vneid_claims(body["identifier"])
    if claims is None or claims["account_type"] != body.get("kind", "citizen"):
        return JSONResponse({"error": "not_found", "message": "Không có tài khoản VNeID."}, status_code=404)
    return JSONResponse(claims)


def install(app: FastAPI) -> None:
    app.state.vneid = VneidState.from_env()
    app.include_router(router)
