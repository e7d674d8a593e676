"""Queuing notifications: render an event for each chosen channel, one delivery per channel and recipient."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import BY_TYPE, CloudEvent
from dvc_notify.domain.deliveries import Status, address_for, chosen_channels
from dvc_notify.domain.rendering import EMAIL
from dvc_notify.errors import template_missing
from dvc_notify.models import Contact, Delivery
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.templates import template_source

log = logging.getLogger(__name__)


class ContactNotYetKnown(Exception):
    """The event overtook the contact event; retrying later lets it arrive."""


def event_payload(event: CloudEvent) -> dict[str, Any]:
    event_type = BY_TYPE.get(event.type)
    if event_type is None:
        return dict(event.data)
    return dict(event_type.parse(event.data).model_dump())  # python values (datetimes) for the filters


async def enqueue_notifications(
    session: AsyncSession,
    notifier: Notifier,
    event: CloudEvent,
    *,
    trace_id: str | None = None,
    traceparent: str | None = None,
) -> list[int]:
    """Render the event for each chosen channel and queue one delivery per channel and recipient.

    The deliveries commit with the inbox record; the dispatcher sends them. A redelivered event
    finds its deliveries already there (unique event, channel, recipient) and adds nothing.
    """
    payload = event_payload(event)
    # What the notification is about: a dossier (code) or a question (question_id).
    code = str(
        payload.get("code") or payload.get("dossier_code") or payload.get("question_id") or event.subject
    )
    repo = NotifyRepository(session)
    contact = await repo.contact(code)
    if contact is None:
        raise ContactNotYetKnown(f"no contact yet for dossier {code}")
    routing_key = event.type.removeprefix("vn.dvc.")
    await repo.keep_event(event.id, event.model_dump(mode="json"))
    channels = chosen_channels(contact.channels, contact.email, contact.phone)
    queued: list[int] = []
    if not channels:
        # Nobody to tell: recorded as a failure officers see, never silently dropped.
        delivery_id = await record_unreachable(repo, event, routing_key, code, EMAIL, trace_id)
        if delivery_id is not None:
            queued.append(delivery_id)
        log.warning("no channel to notify on", extra={"code": code, "event_type": routing_key})
        return queued
    for channel in channels:
        delivery_id = await queue_channel(
            repo,
            notifier,
            event,
            payload,
            contact,
            routing_key,
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
    event: CloudEvent,
    payload: Mapping[str, Any],
    contact: Contact,
    routing_key: str,
    channel: str,
    trace_id: str | None,
    traceparent: str | None,
    *,
    fallback_of: int | None,
) -> int | None:
    code = contact.dossier_code
    recipient = address_for(channel, contact.email, contact.phone)
    if not recipient:
        return await record_unreachable(repo, event, routing_key, code, channel, trace_id)
    template = await repo.current_template(routing_key, channel)
    if template is None:
        raise template_missing(routing_key, channel)
    context = notifier.context(payload, contact.applicant_name, code)
    rendered = notifier.renderer.render(template_source(template), context, key=template.id)
    now = datetime.now(UTC)
    return await repo.enqueue(
        Delivery(
            event_id=event.id,
            event_type=routing_key,
            dossier_code=code,
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
            message_id=f"<{event.id}.{channel}@{notifier.message_id_domain}>",
            trace_id=trace_id,
            traceparent=traceparent,
            fallback_of=fallback_of,
            created_at=now,
            updated_at=now,
        )
    )


async def record_unreachable(
    repo: NotifyRepository, event: CloudEvent, routing_key: str, code: str, channel: str, trace_id: str | None
) -> int | None:
    now = datetime.now(UTC)
    return await repo.enqueue(
        Delivery(
            event_id=event.id,
            event_type=routing_key,
            dossier_code=code,
            channel=channel,
            recipient="",
            status=Status.FAILED,
            reason="no_address",
            next_attempt_at=now,
            subject="(không gửi được: người nộp không đăng ký địa chỉ cho kênh này)",
            body_text="",
            trace_id=trace_id,
            provider_answer="không có địa chỉ nhận",
            created_at=now,
            updated_at=now,
        )
    )
