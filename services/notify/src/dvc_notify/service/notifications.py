"""Queuing notifications: render an event for each chosen channel, one delivery per channel and recipient."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.consumers import EventMeta
from dvc_common.events import CloudEvent, Payload
from dvc_notify.domain.deliveries import Status, address_for, chosen_channels, worth_telling
from dvc_notify.domain.rendering import EMAIL
from dvc_notify.errors import template_missing
from dvc_notify.models import Contact, Delivery
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.names import names_for
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.templates import template_source

log = logging.getLogger(__name__)


UNREACHABLE = {
    "no_address": ("(không gửi được: người nộp không đăng ký địa chỉ cho kênh này)", "không có địa chỉ nhận"),
    "no_contact": (
        "(không gửi: người nộp, người hỏi không để lại địa chỉ liên hệ)",
        "không có thông tin liên hệ",
    ),
}
"""Why nobody could be told: the subject and provider answer recorded in the delivery log."""


class ContactNotYetKnown(Exception):
    """The event overtook the contact event; retrying later lets it arrive."""


def about(meta: EventMeta, payload: Payload) -> str:
    """What the notification is about, the key of its contact: a dossier code or a question id."""
    for field in ("code", "dossier_code", "question_id"):
        value = getattr(payload, field, None)
        if value:
            return str(value)
    return meta.subject


def agency_of(payload: Payload) -> str | None:
    """The handling agency named by the event (every notified event names one)."""
    value = getattr(payload, "agency_id", None)
    return str(value) if value else None


def kept_event(meta: EventMeta, payload: Payload) -> dict[str, Any]:
    """The event as kept for a later fallback channel (the CloudEvent it arrived as)."""
    event = CloudEvent(
        id=meta.id,
        type=meta.type,
        source=meta.source,
        subject=meta.subject,
        time=meta.time,
        data=payload.model_dump(mode="json"),
        sequence=meta.sequence,
        correlationid=meta.correlationid,
        traceparent=meta.traceparent,
    )
    return event.model_dump(mode="json")


async def enqueue_notifications(
    session: AsyncSession,
    notifier: Notifier,
    meta: EventMeta,
    payload: Payload,
    *,
    trace_id: str | None = None,
    traceparent: str | None = None,
) -> list[int]:
    """Render the event for each chosen channel and queue one delivery per channel and recipient.

    The deliveries commit with the inbox record; the dispatcher sends them. A redelivered event
    finds its deliveries already there (unique event, channel, recipient) and adds nothing.
    """
    code = about(meta, payload)
    if not worth_telling(payload):
        log.info("status unchanged: nothing to tell", extra={"code": code, "event_type": meta.routing_key})
        return []
    repo = NotifyRepository(session)
    contact = await repo.contact(code)
    if contact is None:
        raise ContactNotYetKnown(f"no contact yet for dossier {code}")
    routing_key = meta.routing_key
    await repo.keep_event(meta.id, kept_event(meta, payload))
    channels = chosen_channels(contact.channels, contact.email, contact.phone)
    queued: list[int] = []
    if not channels:
        # Nobody to tell: recorded as a failure officers see, never silently dropped.
        reason = "no_address" if contact.email or contact.phone else "no_contact"
        delivery_id = await record_unreachable(
            repo, meta, code, EMAIL, trace_id, agency_of(payload), reason=reason
        )
        if delivery_id is not None:
            queued.append(delivery_id)
        log.warning("no channel to notify on", extra={"code": code, "event_type": routing_key})
        return queued
    for channel in channels:
        delivery_id = await queue_channel(
            repo,
            notifier,
            meta,
            payload,
            contact,
            channel,
            trace_id,
            traceparent,
            fallback_of=None,
        )
        if delivery_id is not None:
            queued.append(delivery_id)
    log.info(
        "notifications queued",
        extra={"code": code, "event_type": routing_key, "channels": channels, "deliveries": queued},
    )
    return queued


async def queue_channel(
    repo: NotifyRepository,
    notifier: Notifier,
    meta: EventMeta,
    payload: Payload,
    contact: Contact,
    channel: str,
    trace_id: str | None,
    traceparent: str | None,
    *,
    fallback_of: int | None,
) -> int | None:
    code, routing_key = contact.dossier_code, meta.routing_key
    recipient = address_for(channel, contact.email, contact.phone)
    if not recipient:
        return await record_unreachable(repo, meta, code, channel, trace_id, agency_of(payload))
    template = await repo.current_template(routing_key, channel)
    if template is None:
        raise template_missing(routing_key, channel)
    # Python values (datetimes) for the template filters.
    names = await names_for(repo, payload, code)
    context = notifier.context(payload.model_dump(), contact.applicant_name, code, **names)
    rendered = notifier.renderer.render(template_source(template), context, key=template.id)
    now = clock.now()
    return await repo.enqueue(
        Delivery(
            event_id=meta.id,
            event_type=routing_key,
            dossier_code=code,
            agency_id=agency_of(payload),
            channel=channel,
            recipient=recipient,
            status=Status.QUEUED,
            next_attempt_at=now,
            template_version=template.version,
            subject=rendered.subject,
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            zalo_template_id=rendered.zalo_template_id,
            zalo_data=rendered.zalo_data,
            message_id=f"<{meta.id}.{channel}@{notifier.message_id_domain}>",
            trace_id=trace_id,
            traceparent=traceparent,
            fallback_of=fallback_of,
            created_at=now,
            updated_at=now,
        )
    )


async def record_unreachable(
    repo: NotifyRepository,
    meta: EventMeta,
    code: str,
    channel: str,
    trace_id: str | None,
    agency_id: str | None,
    *,
    reason: str = "no_address",
) -> int | None:
    now = clock.now()
    subject, answer = UNREACHABLE[reason]
    return await repo.enqueue(
        Delivery(
            event_id=meta.id,
            event_type=meta.routing_key,
            dossier_code=code,
            agency_id=agency_id,
            channel=channel,
            recipient="",
            status=Status.FAILED,
            reason=reason,
            next_attempt_at=now,
            subject=subject,
            body_text="",
            trace_id=trace_id,
            provider_answer=answer,
            created_at=now,
            updated_at=now,
        )
    )
