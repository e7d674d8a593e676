"""Officers see failed deliveries; the provincial operator edits and previews templates (tokens required)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from notify_support import Notify, new_code
from pydantic import SecretStr

from dvc_devkit.identity import KeyRing, bearer
from dvc_notify.app import build
from dvc_notify.settings import NotifySettings

TEMPLATE = "/api/v1/templates/dossier.status_changed.v1/email"


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing()


@pytest.fixture
async def api(notify: Notify, notify_db_url: str, ring: KeyRing) -> AsyncIterator[httpx.AsyncClient]:
    app = build(NotifySettings(database_url=SecretStr(notify_db_url), log_json=False))
    app.state.token_verifier = ring.verifier()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
        yield client
    await app.state.runtime.engine.dispose()


async def test_failed_deliveries_are_visible_to_officers_only(
    api: httpx.AsyncClient, notify: Notify, ring: KeyRing
) -> None:
    code = new_code()
    await notify.contact(code, email=None, phone="0911000222", channels=["zalo"])
    await notify.zalo_sim.post("/zalo/_control/not-following", json={"phones": ["84911000222"]})
    await notify.status(code, 2)
    await notify.drain()

    assert (await api.get("/api/v1/deliveries")).status_code == 401
    citizen = await api.get("/api/v1/deliveries", headers=bearer(ring.token(kind="citizen")))
    assert citizen.status_code == 403
    response = await api.get("/api/v1/deliveries", headers=bearer(ring.token("one_stop_officer")))
    assert response.status_code == 200
    [item] = [i for i in response.json()["items"] if i["dossier_code"] == code]
    assert item["channel"] == "zalo" and item["reason"] == "not_following_oa"
    assert item["provider_answer"].startswith("-213") and item["recipient"] == "0911000222"
    summary = await api.get("/api/v1/deliveries/summary", headers=bearer(ring.token("auditor")))
    assert summary.json()["failed"] >= 1
    # What was sent about a dossier is for those who may read it (the shared read-access policy).
    shown = f"/api/v1/dossiers/{code}/notifications"
    assert (await api.get(shown)).status_code == 401
    for reader, status in (
        (ring.token("one_stop_officer"), 200),
        (ring.token("auditor", agency="000.00.99.H56"), 200),
        (ring.token("one_stop_officer", agency="000.00.99.H56"), 404),
        (ring.token(kind="citizen", sub="vneid:999"), 404),
    ):
        assert (await api.get(shown, headers=bearer(reader))).status_code == status
    listed = (await api.get(shown, headers=bearer(ring.token("one_stop_officer")))).json()
    assert listed == [listed[0]] and listed[0]["outcome"] == "failed" and "recipient" not in listed[0]
    # Another agency's officer sees none of its deliveries, in the log, the summary or the detail.
    other = bearer(ring.token("one_stop_officer", agency="000.00.99.H56"))
    theirs = (await api.get("/api/v1/deliveries", headers=other)).json()["items"]
    assert [i for i in theirs if i["dossier_code"] == code] == []
    assert (await api.get(f"/api/v1/dossiers/{code}/deliveries", headers=other)).status_code == 404


async def test_operator_edits_a_template_with_preview_and_new_messages_use_it(
    api: httpx.AsyncClient, notify: Notify, ring: KeyRing
) -> None:
    operator = bearer(ring.token("provincial_operator", sub="officer-7"))
    officer = bearer(ring.token("one_stop_officer"))
    assert (await api.get("/api/v1/templates", headers=officer)).status_code == 403

    preview = await api.post(f"{TEMPLATE}/preview", json={"sample": {"status": 3}}, headers=operator)
    assert preview.status_code == 200
    assert preview.json()["subject"] == "Hồ sơ 000.00.14.H56-260223-0001: Không được tiếp nhận"
    assert "Phiếu từ chối tiếp nhận" in preview.json()["body_text"]

    draft = {
        "subject": "[Một cửa] Hồ sơ {{ code }} — {{ status_name }}",
        "body_text": "Kính gửi {{ applicant_name }}: hồ sơ {{ code }} chuyển sang «{{ status_name }}».\n",
        "note": "Rút gọn nội dung",
    }
    shown = await api.post(f"{TEMPLATE}/preview", json={"template": draft}, headers=operator)
    assert shown.json()["body_text"].startswith("Kính gửi Nguyễn Văn An: hồ sơ 000.00.14.H56-260223-0001")

    broken = await api.put(TEMPLATE, json=draft | {"body_text": "{{ ten_sai }}"}, headers=operator)
    assert broken.status_code == 422 and broken.json()["part"] == "body_text"
    assert "ten_sai" in broken.json()["detail"]
    unsafe = await api.put(TEMPLATE, json=draft | {"subject": "{{ ''.__class__.__mro__ }}"}, headers=operator)
    assert unsafe.status_code == 422

    saved = await api.put(TEMPLATE, json=draft, headers=operator)
    assert saved.status_code == 200 and saved.json()["version"] == 2 and saved.json()["author"] == "officer-7"
    versions = (await api.get(TEMPLATE, headers=operator)).json()
    assert [v["version"] for v in versions] == [2, 1]

    code = new_code()
    await notify.contact(code, email="moi@example.vn", phone=None, channels=None)
    await notify.status(code, 4)
    await notify.drain()
    [mail] = notify.smtp.inbox.to("moi@example.vn")
    assert mail["Subject"] == f"[Một cửa] Hồ sơ {code} — Đang xử lý"
    assert mail.get_body(preferencelist=("html",)) is None, "the new version has no HTML part"


async def test_unknown_template_and_zalo_template_preview(api: httpx.AsyncClient, ring: KeyRing) -> None:
    operator = bearer(ring.token("provincial_operator"))
    missing = await api.post("/api/v1/templates/dossier.nothing.v1/email/preview", json={}, headers=operator)
    assert missing.status_code == 404
    zalo = await api.post(
        "/api/v1/templates/dossier.status_changed.v1/zalo/preview",
        json={"sample": {"status": 10}},
        headers=operator,
    )
    assert zalo.status_code == 200
    assert zalo.json()["zalo_template_id"] == "310201"
    assert zalo.json()["zalo_data"]["trang_thai"] == "Đã trả kết quả"
