"""HTTP face of the Zalo simulator, under `/zalo`, in the shape of the real APIs.

- `POST /zalo/oauth/v4/oa/access_token` (as https://oauth.zaloapp.com/v4/oa/access_token): header
  `secret_key`, form `app_id`, `grant_type=refresh_token`, `refresh_token`.
- `POST /zalo/message/template` (as https://business.openapi.zalo.me/message/template): header
  `access_token`, JSON `phone`, `template_id`, `template_data`, optional `tracking_id`.
- `/zalo/_control/...`: what a test sets up or inspects (not part of Zalo).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Header, Request
from pydantic import BaseModel

from .zalo_store import ZaloStore


def get_store(request: Request) -> ZaloStore:
    store: ZaloStore = request.app.state.zalo
    return store


StoreDep = Annotated[ZaloStore, Depends(get_store)]

router = APIRouter(prefix="/zalo", tags=["zalo"])
control_router = APIRouter(prefix="/zalo/_control", tags=["zalo control"])


@router.post("/oauth/v4/oa/access_token", summary="Làm mới access token của OA")
async def access_token(
    store: StoreDep,
    app_id: Annotated[str, Form()],
    grant_type: Annotated[str, Form()],
    refresh_token: Annotated[str, Form()],
    secret_key: Annotated[str, Header(convert_underscores=False)] = "",
) -> dict[str, Any]:
    if grant_type != "refresh_token":
        return {
            "error": -14003,
            "error_name": "Invalid grant_type",
            "error_description": "Invalid grant_type",
        }
    return store.refresh(app_id, secret_key, refresh_token)


@router.post("/message/template", summary="Gửi tin ZNS theo mẫu")
async def send_template(
    request: Request,
    store: StoreDep,
    access_token: Annotated[str | None, Header(convert_underscores=False)] = None,
) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return {"error": -112, "message": "Body data is invalid"}
    return store.send(access_token, body)


class Phones(BaseModel):
    phones: list[str]


class RateLimit(BaseModel):
    per_second: int | None


class TemplateApproval(BaseModel):
    template_id: str
    params: list[str]


@control_router.get("/messages")
async def messages(store: StoreDep, phone: str | None = None) -> list[dict[str, Any]]:
    return [m for m in store.messages if phone is None or m["phone"] == phone]


@control_router.get("/state")
async def state(store: StoreDep) -> dict[str, Any]:
    return store.state()


@control_router.post("/reset")
async def reset(store: StoreDep) -> dict[str, bool]:
    store.reset()
    return {"reset": True}


@control_router.post("/not-following")
async def not_following(store: StoreDep, body: Phones) -> dict[str, list[str]]:
    store.not_following.update(body.phones)
    return {"not_following": sorted(store.not_following)}


@control_router.post("/expire-tokens")
async def expire_tokens(store: StoreDep) -> dict[str, int]:
    return {"expired": store.expire_tokens()}


@control_router.post("/rate-limit")
async def rate_limit(store: StoreDep, body: RateLimit) -> dict[str, int | None]:
    store.per_second = body.per_second
    return {"per_second": store.per_second}


@control_router.post("/templates")
async def approve_template(store: StoreDep, body: TemplateApproval) -> dict[str, list[str]]:
    store.templates[body.template_id] = tuple(body.params)
    return {"approved_templates": sorted(store.templates)}


def install(app: FastAPI) -> None:
    """Mount the simulator on the sandbox app with its own state."""
    app.state.zalo = ZaloStore.from_env()
    app.include_router(router)
    app.include_router(control_router)
