"""Notify's broker subscribers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dvc_common.broker import Consumer, QueueSpec
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    INTERNAL_EXCHANGE,
    PUBLIC_EXCHANGE,
    CloudEvent,
)
from opentelemetry import trace
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_notify import service
from dvc_notify.mailer import SmtpMailer

CONTACTS_QUEUE = QueueSpec("notify.contacts", INTERNAL_EXCHANGE, (DOSSIER_CONTACT_REGISTERED.routing_key,))
STATUS_QUEUE = QueueSpec("notify.dossier-status", PUBLIC_EXCHANGE, (DOSSIER_STATUS_CHANGED.routing_key,))
QUEUES = (CONTACTS_QUEUE, STATUS_QUEUE)


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def consumers(mailer: SmtpMailer, tz: ZoneInfo) -> tuple[Consumer, ...]:
    async def on_status(session: AsyncSession, event: CloudEvent) -> None:
        await service.notify_status(session, mailer, tz, event, current_trace_id())

    return (Consumer(CONTACTS_QUEUE, service.record_contact), Consumer(STATUS_QUEUE, on_status))
