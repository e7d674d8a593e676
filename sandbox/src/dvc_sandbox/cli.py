"""``dvc-sandbox``: the HTTP app and the SMTP sink in one process, stopped by SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from dvc_common.clock_follow import ClockFollower

from .app import create_app
from .maildir import MailDirectory
from .settings import DEFAULT_MAIL_DIR, SandboxSettings
from .smtp_sink import start_smtp_sink

log = logging.getLogger("dvc_sandbox")


class _Server(uvicorn.Server):
    # uvicorn re-raises a captured SIGTERM after shutdown, killing the process before the SMTP
    # sink is closed; the signals are handled in serve() instead.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(http_host: str, http_port: int, smtp_host: str, smtp_port: int, mail_dir: Path) -> None:
    from_env = SandboxSettings.from_env()
    settings = SandboxSettings(
        portal_api_key=from_env.portal_api_key, mail_dir=mail_dir, clock_url=from_env.clock_url
    )
    follower = None
    if settings.clock_url:
        follower = ClockFollower(settings.clock_url, resync_seconds=settings.clock_poll_seconds)
        follower.start()
    server = _Server(uvicorn.Config(create_app(settings), host=http_host, port=http_port, log_level="info"))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, setattr, server, "should_exit", True)
    smtp = await start_smtp_sink(MailDirectory(mail_dir), smtp_host, smtp_port)
    log.info("SMTP sink on %s:%d, mail kept in %s", smtp_host, smtp_port, mail_dir)
    try:
        await server.serve()
    finally:
        if follower is not None:
            await follower.stop()
        smtp.close()
        await smtp.wait_closed()
        log.info("sandbox stopped")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="dvc-sandbox", description="Simulators of national systems")
    parser.add_argument("--http-host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=8090)
    parser.add_argument("--smtp-host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument(
        "--mail-dir", type=Path, default=Path(os.environ.get("SANDBOX_MAIL_DIR", DEFAULT_MAIL_DIR))
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    asyncio.run(serve(args.http_host, args.http_port, args.smtp_host, args.smtp_port, args.mail_dir))


if __name__ == "__main__":
    main()
