"""Notify benchmark: status-change notifications rendered (and queued), then handed to SMTP, per second.

A migrated throwaway database, a real SMTP server (aiosmtpd) on this machine that counts what it
receives, notify's own enqueue use-case and dispatcher. No broker: this measures notify itself.

    .venv/bin/python bench/notify.py [--count 2000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import dvc_notify
from dvc_common.consumers import EventMeta
from dvc_common.db import unit_of_work
from dvc_common.events import DOSSIER_STATUS_CHANGED, DossierStatusChanged, NationalStatus
from dvc_common.outbox import Outbox
from dvc_devkit.testing.infra import postgres_database
from dvc_notify.domain.deliveries import RetryRule
from dvc_notify.domain.rendering import Renderer
from dvc_notify.mailer import SmtpMailer
from dvc_notify.models import Contact
from dvc_notify.service.notifications import enqueue_notifications
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.sending import Dispatcher
from dvc_notify.service.templates import seed_templates
from dvc_notify.zalo import ZaloClient, ZaloConfig

MIGRATIONS = Path(dvc_notify.__file__).parent / "migrations"
Event = tuple[EventMeta, DossierStatusChanged]


class Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def event(code: str, status: NationalStatus) -> Event:
    """A status change as the consumer hands it to the use-case: the envelope's facts and the parsed payload."""
    payload = DossierStatusChanged(
        code=code,
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=status,
        status_name=status.label_vi,
        changed_at=datetime.now(UTC),
    )
    meta = EventMeta(
        id=uuid.uuid4(),
        type=DOSSIER_STATUS_CHANGED.ce_type,
        source="dvc-bench",
        subject=code,
        time=datetime.now(UTC),
        sequence=status,
        correlationid=code,
    )
    return meta, payload


async def run(url: str, count: int, concurrency: int) -> None:
    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    engine = create_async_engine(url, pool_size=concurrency + 2, max_overflow=0)
    uow = unit_of_work(engine)
    notifier = Notifier(
        Renderer(ZoneInfo("Asia/Ho_Chi_Minh")),
        "https://dichvucong.example.gov.vn/tra-cuu-ho-so?ma={code}",
        "bench",
    )
    try:
        async with uow() as session:
            await seed_templates(session)
            for i in range(count):
                session.add(
                    Contact(
                        dossier_code=f"000.00.14.H56-260223-{i:05d}",
                        applicant_name="Nguyễn Văn An",
                        email=f"an{i}@example.vn",
                        updated_at=datetime.now(UTC),
                    )
                )
        events = [event(f"000.00.14.H56-260223-{i:05d}", NationalStatus(1 + i % 10)) for i in range(count)]

        # 1. Render and queue, as the consumer does (one transaction per event).
        started = time.perf_counter()

        async def enqueue(chunk: list[Event]) -> None:
            for meta, payload in chunk:
                async with uow() as session:
                    await enqueue_notifications(session, notifier, meta, payload)

        await asyncio.gather(*(enqueue(events[i::concurrency]) for i in range(concurrency)))
        rendered = time.perf_counter() - started

        # 2. Hand to SMTP, as the dispatcher does (rate limit out of the way: we measure capacity).
        zalo = ZaloClient(ZaloConfig("http://unused", "http://unused", "a", "s", "r"), uow)
        mailer = SmtpMailer("127.0.0.1", port, "Một cửa <khong-tra-loi@dichvucong.example.gov.vn>")
        dispatcher = Dispatcher(
            uow,
            Outbox(source="dvc-notify"),
            notifier,
            mailer,
            zalo,
            RetryRule(),
            batch_size=200,
            concurrency=concurrency,
            email_rate=0,
        )
        started = time.perf_counter()
        while await dispatcher.dispatch_once():
            pass
        sent = time.perf_counter() - started
        await zalo.aclose()
        async with engine.connect() as conn:
            statuses: dict[str, int] = dict(
                (
                    await conn.execute(text("SELECT status, count(*) FROM notify_delivery GROUP BY status"))
                ).all()
            )
    finally:
        await engine.dispose()
        controller.stop()
    print(f"notifications: {count} status-change e-mails (HTML + text), concurrency {concurrency}")
    print(f"rendered and queued:   {count / rendered:8.0f} per second ({rendered:.2f} s)")
    print(f"handed to SMTP:        {count / sent:8.0f} per second ({sent:.2f} s)")
    print(f"SMTP server received:  {counter.received}; delivery log: {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    with postgres_database("dvc_notify_bench", MIGRATIONS) as url:
        asyncio.run(run(url, args.count, args.concurrency))


if __name__ == "__main__":
    main()
