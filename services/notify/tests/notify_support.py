"""Test support for notify (imported by conftest and the tests): notify against the real things: a migrated PostgreSQL database, a real SMTP server (aiosmtpd) and
the sandbox's Zalo simulator (its ASGI app, called over HTTP by the real client)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import dvc_notify
from dvc_common.consumers import EventMeta
from dvc_common.db import unit_of_work
from dvc_common.events import (
    BY_TYPE,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    NATIONAL_STATUS_NAMES,
    CloudEvent,
    DossierContactRegistered,
    DossierStatusChanged,
    Payload,
)
from dvc_common.outbox import Outbox
from dvc_devkit.testing.infra import postgres_database
from dvc_notify.domain.deliveries import RetryRule
from dvc_notify.domain.rendering import Renderer
from dvc_notify.mailer import SmtpMailer
from dvc_notify.service.contacts import record_contact
from dvc_notify.service.notifications import enqueue_notifications
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.sending import Dispatcher
from dvc_notify.service.templates import seed_templates
from dvc_notify.zalo import ZaloClient, ZaloConfig
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.settings import SandboxSettings
from dvc_sandbox.zalo_store import DEFAULT_APP_ID, DEFAULT_REFRESH_TOKEN, DEFAULT_SECRET_KEY

P = TypeVar("P", bound=Payload)
MIGRATIONS = Path(dvc_notify.__file__).parent / "migrations"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def notify_db_url() -> Iterator[str]:
    with postgres_database("dvc_notify_test", MIGRATIONS) as url:
        yield url


@pytest.fixture
async def engine(notify_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(notify_db_url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "TRUNCATE notify_delivery, notify_contact, notify_template, notify_event, notify_zalo_token,"
                " notify_procedure, notify_agency, notify_officer, notify_dossier,"
                " outbox_message, event_sequence, inbox_message"
            )
        )
    yield engine
    await engine.dispose()


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox = field(default_factory=Inbox)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@dataclass
class Notify:
    """Notify's parts wired as app.py wires them, around a test database, SMTP server and Zalo simulator."""

    engine: AsyncEngine
    notifier: Notifier
    dispatcher: Dispatcher
    zalo: ZaloClient
    zalo_sim: httpx.AsyncClient
    smtp: SmtpServer

    def transaction(self) -> Any:
        return unit_of_work(self.engine)()

    async def contact(
        self, code: str, *, email: str | None, phone: str | None, channels: list[str] | None
    ) -> None:
        event = make_event(
            DOSSIER_CONTACT_REGISTERED,
            DossierContactRegistered(
                code=code,
                applicant_name="Lò Thị Mai",
                email=email,
                phone=phone,
                channels=channels,
            ),
            code,
        )
        async with self.transaction() as session:
            await record_contact(session, *delivered(event, DossierContactRegistered))

    async def status(
        self, code: str, status: int, *, event: CloudEvent | None = None, note: str | None = None
    ) -> CloudEvent:
        event = event or status_event(code, status, note=note)
        async with self.transaction() as session:
            await enqueue_notifications(
                session, self.notifier, *delivered(event, Payload), trace_id="ab" * 16
            )
        return event

    async def drain(self, *, within: float = 15.0) -> None:
        """Dispatch until nothing is queued or in flight."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            await self.dispatcher.dispatch_once()
            if not await self.pending():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("deliveries still pending")

    async def pending(self) -> int:
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        text("SELECT count(*) FROM notify_delivery WHERE status IN ('queued', 'sending')")
                    )
                ).scalar_one()
            )

    async def deliveries(self, code: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT * FROM notify_delivery WHERE dossier_code = :c ORDER BY id"), {"c": code}
            )
            return [dict(r._mapping) for r in rows]

    async def outbox_events(self, routing_key: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT body FROM outbox_message WHERE routing_key = :k ORDER BY id"), {"k": routing_key}
            )
            return [r.body if isinstance(r.body, dict) else json.loads(r.body) for r in rows]

    async def zalo_messages(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = (await self.zalo_sim.get("/zalo/_control/messages")).json()
        return messages


def make_event(event_type: Any, payload: Any, subject: str) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-test",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
    )


def delivered(event: CloudEvent, as_type: type[P]) -> tuple[EventMeta, P]:
    """What the platform hands a handler for this event: its envelope and the parsed catalog payload."""
    payload = BY_TYPE[event.type].parse(event.data)
    assert isinstance(payload, as_type)
    return EventMeta.of(event), payload


def status_event(code: str, status: int, *, note: str | None = None) -> CloudEvent:
    return make_event(
        DOSSIER_STATUS_CHANGED,
        DossierStatusChanged(
            code=code,
            procedure_code="1.003560.000.00.00.H56",
            agency_id="000.00.14.H56",
            status=status,
            status_name=NATIONAL_STATUS_NAMES[status],
            changed_at=datetime(2026, 2, 23, 1, 15, tzinfo=UTC),
            note=note,
        ),
        code,
    )


def new_code() -> str:
    return f"000.00.14.H56-260223-{uuid.uuid4().int % 10000:04d}"


@pytest.fixture
async def zalo_sim(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_sandbox(SandboxSettings(mail_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        yield client


def build_notify(
    engine: AsyncEngine,
    smtp: SmtpServer,
    zalo_sim: httpx.AsyncClient,
    *,
    rule: RetryRule | None = None,
    lease_seconds: float = 30.0,
    zalo_rate: float = 100.0,
    email_rate: float = 500.0,
) -> Notify:
    uow = unit_of_work(engine)
    notifier = Notifier(Renderer(TZ), "https://dichvucong.example.gov.vn/tra-cuu-ho-so?ma={code}", "test.dvc")
    zalo = ZaloClient(
        ZaloConfig(
            oauth_url="http://sandbox/zalo/oauth/v4/oa/access_token",
            zns_url="http://sandbox/zalo/message/template",
            app_id=DEFAULT_APP_ID,
            secret_key=DEFAULT_SECRET_KEY,
            refresh_token=DEFAULT_REFRESH_TOKEN,
        ),
        uow,
        http=zalo_sim,
    )
    mailer = SmtpMailer(
        "127.0.0.1", smtp.port, "Một cửa <khong-tra-loi@dichvucong.example.gov.vn>", timeout=3
    )
    dispatcher = Dispatcher(
        uow,
        Outbox(source="dvc-notify"),
        notifier,
        mailer,
        zalo,
        rule or RetryRule(max_attempts=5, base_seconds=0.2, max_seconds=1.0),
        lease_seconds=lease_seconds,
        zalo_rate=zalo_rate,
        email_rate=email_rate,
    )
    return Notify(engine, notifier, dispatcher, zalo, zalo_sim, smtp)


@pytest.fixture
async def notify(engine: AsyncEngine, smtp: SmtpServer, zalo_sim: httpx.AsyncClient) -> Notify:
    async with unit_of_work(engine)() as session:
        await seed_templates(session)
    return build_notify(engine, smtp, zalo_sim)
