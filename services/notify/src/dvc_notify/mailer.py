"""Sending e-mail over SMTP (the standard library client, run off the event loop)."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from dvc_notify.domain.messages import EmailContent


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    async def send(self, recipient: str, content: EmailContent, *, headers: dict[str, str]) -> str:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = content.subject
        message["Message-ID"] = make_msgid(domain="dichvucong.example.gov.vn")
        for name, value in headers.items():
            message[name] = value
        message.set_content(content.body)
        await asyncio.to_thread(self._deliver, message)
        return str(message["Message-ID"])

    def _deliver(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
            client.send_message(message)
