"""Notifications reach the applicant once per event and channel, through outages, crashes and refusals."""

from __future__ import annotations

import asyncio

import httpx
from aiosmtpd.controller import Controller
from notify_support import Notify, SmtpServer, build_notify, free_port, new_code, status_event
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common.events import NATIONAL_STATUS_NAMES
from dvc_notify.domain.deliveries import RetryRule


async def test_email_arrives_over_smtp_in_vietnamese_with_html_and_lookup_link(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="mai@example.vn", phone="0912345678", channels=None)
    await notify.status(code, 2)
    await notify.drain()

    [mail] = notify.smtp.inbox.to("mai@example.vn")
    assert mail["Subject"] == f"Hồ sơ {code}: Được tiếp nhận"
    assert mail["X-DVC-Trace-Id"] == "ab" * 16
    text_part = mail.get_body(preferencelist=("plain",))
    html_part = mail.get_body(preferencelist=("html",))
    assert text_part is not None and html_part is not None
    body = text_part.get_content()
    assert "Kính gửi Ông/Bà Lò Thị Mai," in body
    assert "«Được tiếp nhận» lúc 08 giờ 15 phút ngày 23/02/2026" in body
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in body
    assert f"https://dichvucong.example.gov.vn/tra-cuu-ho-so?ma={code}" in body
    assert f'href="https://dichvucong.example.gov.vn/tra-cuu-ho-so?ma={code}"' in html_part.get_content()
    [row] = await notify.deliveries(code)
    assert row["status"] == "sent" and row["provider_answer"].startswith("250")
    assert notify.smtp.inbox.messages == [mail], "default channel is e-mail only"


async def test_every_national_status_reads_well(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="du@example.vn", phone=None, channels=["email"])
    for status in range(1, 11):
        await notify.status(code, status, note="Thiếu bản vẽ mặt bằng" if status == 5 else None)
    await notify.drain()
    mails = notify.smtp.inbox.to("du@example.vn")
    assert len(mails) == 10
    by_status = {str(m["Subject"]).split(": ", 1)[1]: m for m in mails}  # sent concurrently: any order
    ordered = [by_status[NATIONAL_STATUS_NAMES[s]] for s in range(1, 11)]
    plain = [m.get_body(preferencelist=("plain",)) for m in ordered]
    assert all(part is not None for part in plain), "every mail has a plain-text body"
    bodies = [part.get_content() for part in plain if part is not None]
    assert len({b.split("\n\n")[2] for b in bodies}) == 10, "each status has its own explanation"
    assert "bổ sung, hoàn thiện hồ sơ" in bodies[4] and "Thiếu bản vẽ mặt bằng" in bodies[4]
    assert "nghĩa vụ tài chính" in bodies[5]
    assert "đã được trả cho Ông/Bà" in bodies[9]


async def test_zalo_simulator_receives_the_zns_with_the_template_data(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="an@example.vn", phone="0912345678", channels=["zalo"])
    await notify.status(code, 9)
    await notify.drain()
    [message] = await notify.zalo_messages()
    assert message["phone"] == "84912345678"
    assert message["template_id"] == "310201"
    assert message["template_data"] == {
        "ten_nguoi_nop": "Lò Thị Mai",
        "ma_ho_so": code,
        "trang_thai": "Đã xử lý xong",
        "thoi_gian": "08:15 23/02/2026",
        "tra_cuu": f"https://dichvucong.example.gov.vn/tra-cuu-ho-so?ma={code}",
    }
    assert notify.smtp.inbox.messages == [], "only the chosen channel"
    [row] = await notify.deliveries(code)
    assert row["status"] == "sent" and row["provider_answer"].startswith("msg_id=")


async def test_smtp_down_then_up_the_mail_arrives_once(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="ngat@example.vn", phone=None, channels=None)
    notify.smtp.stop()
    await notify.status(code, 4)
    await notify.dispatcher.dispatch_once()
    [row] = await notify.deliveries(code)
    assert row["status"] == "queued" and row["attempts"] == 1
    assert "Connect" in row["provider_answer"] or "refused" in row["provider_answer"].lower()
    notify.smtp.start()
    await notify.drain()
    await asyncio.sleep(0.3)
    await notify.dispatcher.dispatch_once()
    assert len(notify.smtp.inbox.to("ngat@example.vn")) == 1
    [row] = await notify.deliveries(code)
    assert row["status"] == "sent" and row["attempts"] >= 2


async def test_zalo_token_expired_is_refreshed_and_sent(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email=None, phone="0987654321", channels=["zalo"])
    await notify.status(code, 2)
    await notify.drain()
    assert notify.zalo.refreshes == 1
    await notify.zalo_sim.post("/zalo/_control/expire-tokens")
    await notify.status(code, 4)
    await notify.drain()
    messages = await notify.zalo_messages()
    assert [m["template_data"]["trang_thai"] for m in messages] == ["Được tiếp nhận", "Đang xử lý"]
    assert notify.zalo.refreshes == 2
    state = (await notify.zalo_sim.get("/zalo/_control/state")).json()
    assert state["rejected"] == {"-124": 1}
    assert all(r["status"] == "sent" for r in await notify.deliveries(code))
    # The rotated refresh token is kept: the single-use one from the first refresh is not reused.
    async with notify.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT refresh_token FROM notify_zalo_token"))).scalar_one()
    assert stored.startswith("zrt-")


async def test_phone_not_following_the_oa_is_recorded_and_email_is_the_fallback(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="theo@example.vn", phone="0911222333", channels=["zalo"])
    await notify.zalo_sim.post("/zalo/_control/not-following", json={"phones": ["84911222333"]})
    await notify.status(code, 5)
    await notify.drain()

    zalo_row, email_row = await notify.deliveries(code)
    assert zalo_row["channel"] == "zalo" and zalo_row["status"] == "failed"
    assert zalo_row["reason"] == "not_following_oa" and zalo_row["provider_answer"].startswith("-213")
    assert email_row["channel"] == "email" and email_row["status"] == "sent"
    assert email_row["fallback_of"] == zalo_row["id"]
    [mail] = notify.smtp.inbox.to("theo@example.vn")
    assert mail["Subject"] == f"Hồ sơ {code}: Yêu cầu bổ sung"
    [failed] = await notify.outbox_events("notification.failed.v1")
    assert failed["data"] == failed["data"] | {
        "code": code,
        "channel": "zalo",
        "reason": "not_following_oa",
        "fallback_channel": "email",
    }
    assert "theo@example.vn" not in str(failed) and "0911222333" not in str(failed), "no personal data"


async def test_invalid_address_is_a_permanent_failure_without_retries(
    engine: AsyncEngine, zalo_sim: httpx.AsyncClient
) -> None:
    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
            return "550 5.1.1 Hộp thư không tồn tại"

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        notify = build_notify(engine, SmtpServer(port), zalo_sim)
        from dvc_common.db import unit_of_work
        from dvc_notify.service.templates import seed_templates

        async with unit_of_work(engine)() as session:
            await seed_templates(session)
        code = new_code()
        await notify.contact(code, email="khong-co@example.vn", phone=None, channels=None)
        await notify.status(code, 2)
        await notify.drain()
        [row] = await notify.deliveries(code)
        assert row["status"] == "failed" and row["reason"] == "invalid_address" and row["attempts"] == 1
        assert "550" in row["provider_answer"]
        [failed] = await notify.outbox_events("notification.failed.v1")
        assert failed["data"]["fallback_channel"] is None
    finally:
        controller.stop()


async def test_duplicate_events_give_one_message_per_channel(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="hai@example.vn", phone="0912000111", channels=["email", "zalo"])
    event = status_event(code, 2)
    for _ in range(3):
        await notify.status(code, 2, event=event)
    await notify.drain()
    await notify.status(code, 2, event=event)  # redelivered after it was sent
    await notify.drain()
    assert len(notify.smtp.inbox.to("hai@example.vn")) == 1
    assert len(await notify.zalo_messages()) == 1
    assert [r["channel"] for r in await notify.deliveries(code)] == ["email", "zalo"]


async def test_restart_mid_send_sends_once_with_a_stable_message_id(
    engine: AsyncEngine, smtp: SmtpServer, zalo_sim: httpx.AsyncClient
) -> None:
    from dvc_common.db import unit_of_work
    from dvc_notify.service.templates import seed_templates

    async with unit_of_work(engine)() as session:
        await seed_templates(session)
    crashed = build_notify(engine, smtp, zalo_sim, lease_seconds=0.5)
    code = new_code()
    await crashed.contact(code, email="sap@example.vn", phone="0912333444", channels=["email", "zalo"])
    await crashed.status(code, 2)
    # A worker claims the deliveries and dies before sending anything.
    async with unit_of_work(engine)() as session:
        from dvc_notify.repository import NotifyRepository

        claimed = await NotifyRepository(session).claim_due(10, 0.5)
    assert len(claimed) == 2
    restarted = build_notify(engine, smtp, zalo_sim, lease_seconds=0.5)
    await restarted.dispatcher.dispatch_once()
    assert smtp.inbox.messages == [], "claimed rows wait for their lease"
    await asyncio.sleep(0.6)
    await restarted.drain()
    [mail] = smtp.inbox.to("sap@example.vn")
    assert mail["Message-ID"] == claimed[0].message_id or mail["Message-ID"] == claimed[1].message_id
    assert len(await restarted.zalo_messages()) == 1
    # Sending the same delivery again (a crash after the send, before the record) is the same message.
    row = next(d for d in claimed if d.channel == "zalo")
    again = await restarted.zalo.send(
        "84912333444", row.zalo_template_id or "", row.zalo_data or {}, f"dvc-{row.id}"
    )
    assert len(await restarted.zalo_messages()) == 1 and again.__class__.__name__ == "Sent"


async def test_a_burst_queues_under_the_zalo_rate_limit_instead_of_failing(
    engine: AsyncEngine, smtp: SmtpServer, zalo_sim: httpx.AsyncClient
) -> None:
    from dvc_common.db import unit_of_work
    from dvc_notify.service.templates import seed_templates

    async with unit_of_work(engine)() as session:
        await seed_templates(session)
    # The provider allows 10 per second; we are configured too optimistically (50): it says "rate limit".
    await zalo_sim.post("/zalo/_control/rate-limit", json={"per_second": 10})
    notify = build_notify(
        engine, smtp, zalo_sim, zalo_rate=50, rule=RetryRule(max_attempts=2, base_seconds=0.2)
    )
    codes = [new_code() for _ in range(25)]
    for i, code in enumerate(codes):
        await notify.contact(code, email=None, phone=f"09{i:08d}", channels=["zalo"])
        await notify.status(code, 2)
    await notify.drain(within=30)
    assert len(await notify.zalo_messages()) == 25
    async with engine.connect() as conn:
        statuses = (await conn.execute(text("SELECT DISTINCT status FROM notify_delivery"))).scalars().all()
    assert statuses == ["sent"], "rate-limit answers are waited out, not counted as failures"


async def test_no_address_at_all_is_recorded_not_silent(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email=None, phone=None, channels=None)
    await notify.status(code, 2)
    [row] = await notify.deliveries(code)
    assert row["status"] == "failed" and row["reason"] == "no_contact"
