"""An SMTP server that accepts every message and keeps it in a mail directory.

Any AUTH credentials are accepted, so services configured with a user and password can send too.
Run alone with ``python -m dvc_sandbox.smtp_sink`` or together with the HTTP app via ``dvc-sandbox``.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from .maildir import MailDirectory

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 1025


class MailSinkHandler:
    def __init__(self, mail_dir: MailDirectory) -> None:
        self._mail_dir = mail_dir

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        await asyncio.to_thread(
            self._mail_dir.add, raw, envelope.mail_from or "", [str(r) for r in envelope.rcpt_tos]
        )
        return "250 Message accepted for delivery"


def _accept_any_login(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    return AuthResult(success=True)


async def start_smtp_sink(
    mail_dir: MailDirectory, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> asyncio.Server:
    """Listen on the running event loop; close the returned server to stop."""
    loop = asyncio.get_running_loop()
    handler = MailSinkHandler(mail_dir)
    return await loop.create_server(
        lambda: SMTP(
            handler,
            hostname="sandbox.local",  # avoids a slow reverse DNS lookup per connection
            enable_SMTPUTF8=True,
            authenticator=_accept_any_login,
            auth_require_tls=False,
            loop=loop,
        ),
        host,
        port,
    )


async def _serve(mail_dir: Path, host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = await start_smtp_sink(MailDirectory(mail_dir), host, port)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="SMTP sink of the sandbox")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--mail-dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args()
    asyncio.run(_serve(args.mail_dir, args.host, args.port))


if __name__ == "__main__":
    main()
