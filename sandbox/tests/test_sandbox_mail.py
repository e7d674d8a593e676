"""The SMTP sink, fed by a real SMTP client and read back over HTTP."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from pathlib import Path

import httpx

from .conftest import RunningSandbox, start_sandbox, stop_sandbox

SUBJECT = "Hồ sơ 000.00.14.H56-250915-0001 đã được tiếp nhận"
BODY = "Kính gửi ông Nguyễn Văn An,\nHồ sơ đăng ký khai sinh của ông đã được tiếp nhận.\n"


def send(port: int, to: str, subject: str = SUBJECT, login: bool = False) -> None:
    message = EmailMessage()
    message["From"] = "Một cửa Lai Châu <motcua@laichau.gov.vn>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(BODY)
    message.add_attachment(b"%PDF-1.7", maintype="application", subtype="pdf", filename="phiếu hẹn.pdf")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        if login:
            client.login("notify", "any-password")
        client.send_message(message)


async def test_a_sent_email_is_listed_and_readable_with_its_vietnamese_subject(
    sandbox: RunningSandbox,
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.http_url) as client:
        await client.delete("/mail")
        await asyncio.to_thread(send, sandbox.smtp_port, "an.nguyen@example.vn")
        await asyncio.to_thread(send, sandbox.smtp_port, "binh.tran@example.vn", "Thư thứ hai", True)

        listed = (await client.get("/mail")).json()
        only_an = (await client.get("/mail", params={"to": "AN.NGUYEN@example.vn"})).json()
        detail = (await client.get(f"/mail/{listed[0]['id']}")).json()

    assert [m["subject"] for m in listed] == [SUBJECT, "Thư thứ hai"]
    assert listed[0]["from"] == "Một cửa Lai Châu <motcua@laichau.gov.vn>"
    assert listed[0]["to"] == ["an.nguyen@example.vn"]
    assert listed[0]["received_at"]
    assert [m["subject"] for m in only_an] == [SUBJECT]
    assert detail["text"] == BODY
    assert detail["attachments"] == ["phiếu hẹn.pdf"]
    assert ["Subject", SUBJECT] in detail["headers"]
    assert (sandbox.mail_dir / f"{listed[0]['id']}.eml").is_file()
    assert (sandbox.mail_dir / "index.json").is_file()


async def test_unknown_or_malformed_mail_id_is_not_found(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.http_url) as client:
        assert (await client.get("/mail/1234567890123456789-deadbeef")).status_code == 404
        assert (await client.get("/mail/..%2Findex")).status_code == 404


async def test_sigterm_stops_the_sandbox_cleanly_and_mail_survives_a_restart(tmp_path: Path) -> None:
    first = await asyncio.to_thread(start_sandbox, tmp_path)
    try:
        await asyncio.to_thread(send, first.smtp_port, "an.nguyen@example.vn")
    finally:
        code = await asyncio.to_thread(stop_sandbox, first)
    assert code == 0

    second = await asyncio.to_thread(start_sandbox, tmp_path)
    try:
        async with httpx.AsyncClient(base_url=second.http_url) as client:
            assert [m["subject"] for m in (await client.get("/mail")).json()] == [SUBJECT]
    finally:
        assert await asyncio.to_thread(stop_sandbox, second) == 0
