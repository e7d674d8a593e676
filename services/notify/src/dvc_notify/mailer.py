"""Sending e-mail over SMTP with aiosmtplib; answers become delivery outcomes (sent, transient, permanent)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib

from dvc_common import clock
from dvc_notify.domain.deliveries import Outcome, Permanent, Sent, Transient


@dataclass(frozen=True)
class OutgoingEmail:
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    message_id: str  # stable per delivery: a resend after a crash carries the same id
    headers: dict[str, str]


def build_message(sender: str, mail: OutgoingEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(clock.now())
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    return message


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    async def send(self, mail: OutgoingEmail) -> Outcome:
        message = build_message(self.sender, mail)
        try:
            client = aiosmtplib.SMTP(
                hostname=self.host,
                port=self.port,
                timeout=self.timeout,
                use_tls=False,
                start_tls=self.starttls,
            )
            async with client:
                if self.username and self.password:
                    await client.login(self.username, self.password)
                raw, options = _flatten(message, client)
                refused, answer = await client.sendmail(
                    parseaddr(self.sender)[1], [mail.recipient], raw, mail_options=options
                )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            return _refused(" ".join(f"{r.code} {r.message}" for r in exc.recipients), exc.recipients[0].code)
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(f"{exc.code} {exc.message}", exc.code)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            return Transient(f"{type(exc).__name__}: {exc}")
        if refused:
            (code, text), *_ = refused.values()
            return _refused(f"{code} {text}", code)
        return Sent(f"250 {answer}")  # the server took the message (its answer to DATA)


def _flatten(message: EmailMessage, client: aiosmtplib.SMTP) -> tuple[bytes, list[str]]:
    """The message as bytes, with Vietnamese headers intact.

    With SMTPUTF8 the headers go as UTF-8. Without it they become RFC 2047 encoded words, and the
    standard folding at 78 columns splits them where a space was, which readers then drop
    ("Không được" → "Khôngđược"); long lines (up to SMTP's 998) keep a subject in one piece.
    """
    options = ["BODY=8BITMIME"] if client.supports_extension("8bitmime") else []
    if client.supports_extension("smtputf8"):
        return message.as_bytes(policy=policy.SMTPUTF8), [*options, "SMTPUTF8"]
    return message.as_bytes(policy=policy.SMTP.clone(max_line_length=998)), options


def _refused(answer: str, code: int) -> Outcome:
    # 5xx: the address or the message is refused for good; 4xx: try again later.
    if 500 <= code < 600:
        return Permanent("invalid_address", answer)
    return Transient(answer)
