"""The Zalo simulator answers like Zalo: token refresh, ZNS sends and every error a client must handle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from dvc_sandbox.app import create_app
from dvc_sandbox.settings import SandboxSettings
from dvc_sandbox.zalo_store import DEFAULT_APP_ID, DEFAULT_REFRESH_TOKEN, DEFAULT_SECRET_KEY

DATA = {
    "ten_nguoi_nop": "Nguyễn Văn An",
    "ma_ho_so": "000.00.14.H56-260223-0001",
    "trang_thai": "Được tiếp nhận",
    "thoi_gian": "08:15 23/02/2026",
    "tra_cuu": "https://dichvucong.example.gov.vn/tra-cuu",
}


@pytest.fixture
async def zalo(tmp_path) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    app = create_app(SandboxSettings(mail_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        yield client


async def refresh(client: httpx.AsyncClient, token: str = DEFAULT_REFRESH_TOKEN) -> dict[str, Any]:
    response = await client.post(
        "/zalo/oauth/v4/oa/access_token",
        headers={"secret_key": DEFAULT_SECRET_KEY},
        data={"app_id": DEFAULT_APP_ID, "grant_type": "refresh_token", "refresh_token": token},
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def send(client: httpx.AsyncClient, token: str, **overrides: Any) -> dict[str, Any]:
    body = {"phone": "84912345678", "template_id": "310201", "template_data": DATA} | overrides
    response = await client.post("/zalo/message/template", headers={"access_token": token}, json=body)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


async def test_refresh_then_send_delivers_one_message(zalo: httpx.AsyncClient) -> None:
    tokens = await refresh(zalo)
    assert tokens["access_token"] and tokens["refresh_token"] and int(tokens["expires_in"]) > 0
    answer = await send(zalo, tokens["access_token"], tracking_id="d-1")
    assert answer["error"] == 0 and answer["data"]["msg_id"]
    again = await send(zalo, tokens["access_token"], tracking_id="d-1")
    assert again["data"]["msg_id"] == answer["data"]["msg_id"], "same tracking id, same message"
    messages = (await zalo.get("/zalo/_control/messages")).json()
    assert len(messages) == 1
    assert messages[0]["template_data"]["ma_ho_so"] == DATA["ma_ho_so"]


async def test_issued_refresh_tokens_are_valid_once(zalo: httpx.AsyncClient) -> None:
    first = await refresh(zalo)
    second = await refresh(zalo, first["refresh_token"])
    assert "access_token" in second
    reused = await refresh(zalo, first["refresh_token"])
    assert reused["error"] == -14014
    wrong_secret = await zalo.post(
        "/zalo/oauth/v4/oa/access_token",
        headers={"secret_key": "nope"},
        data={
            "app_id": DEFAULT_APP_ID,
            "grant_type": "refresh_token",
            "refresh_token": DEFAULT_REFRESH_TOKEN,
        },
    )
    assert wrong_secret.json()["error"] == -14002


async def test_expired_token_is_refused(zalo: httpx.AsyncClient) -> None:
    token = (await refresh(zalo))["access_token"]
    await zalo.post("/zalo/_control/expire-tokens")
    assert (await send(zalo, token))["error"] == -124
    assert (await send(zalo, "made-up"))["error"] == -124


async def test_error_answers(zalo: httpx.AsyncClient) -> None:
    token = (await refresh(zalo))["access_token"]
    await zalo.post("/zalo/_control/not-following", json={"phones": ["84900000001"]})
    assert (await send(zalo, token, phone="84900000001"))["error"] == -213
    assert (await send(zalo, token, phone="0912345678"))["error"] == -108
    assert (await send(zalo, token, template_id="310299"))["error"] == -117
    assert (await send(zalo, token, template_data={"ma_ho_so": "x"}))["error"] == -112
    state = (await zalo.get("/zalo/_control/state")).json()
    assert state["messages"] == 0
    assert state["rejected"] == {"-213": 1, "-108": 1, "-117": 1, "-112": 1}


async def test_rate_limit(zalo: httpx.AsyncClient) -> None:
    token = (await refresh(zalo))["access_token"]
    await zalo.post("/zalo/_control/rate-limit", json={"per_second": 2})
    answers = [(await send(zalo, token, tracking_id=f"r{i}"))["error"] for i in range(4)]
    assert answers == [0, 0, -32, -32]
