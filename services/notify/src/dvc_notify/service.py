"""Notify use-cases. They never commit: the message or request boundary does."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    BY_TYPE,
    NATIONAL_STATUS_NAMES,
    NOTIFICATION_FAILED,
    CloudEvent,
    DossierContactRegistered,
    NotificationFailed,
    QuestionContactRegistered,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_notify.domain.deliveries import (
    Outcome,
    RetryRule,
    Sent,
    Status,
    address_for,
    chosen_channels,
    fallback_channels,
    next_state,
)
from dvc_notify.domain.rendering import CHANNELS, EMAIL, Renderer, TemplateInvalid, TemplateSource
from dvc_notify.models import Contact, Delivery, Template
from dvc_notify.repository import NotifyRepository
from dvc_notify.template_files import shipped_templates

log = logging.getLogger(__name__)

SAMPLE_APPLICANT = "Nguyễn Văn An"


class ContactNotYetKnown(Exception):
    """The event overtook the contact event; retrying later lets it arrive."""


@dataclass(frozen=True)
class Notifier:
    """What enqueuing needs besides the session: the renderer and how to link to the public look-up."""

    renderer: Renderer
    lookup_url: str
    message_id_domain: str

    def context(self, payload: Mapping[str, Any], applicant_name: str, code: str) -> dict[str, Any]:
        return {
            **payload,
            "applicant_name": applicant_name,
            "lookup_url": self.lookup_url.format(code=quote(code)),
        }


def template_source(template: Template) -> TemplateSource:
    return TemplateSource(
        channel=template.channel,
        subject=template.subject,
        body_text=template.body_text,
        body_html=template.body_html,
        zalo_template_id=template.zalo_template_id,
        zalo_data=template.zalo_data or {},
    )


async def record_contact(session: AsyncSession, event: CloudEvent) -> None:
    contact = DossierContactRegistered.model_validate(event.data)
    await NotifyRepository(session).save_contact(
        Contact(
            dossier_code=contact.code,
            applicant_name=contact.applicant_name,
            email=str(contact.email) if contact.email else None,
            phone=contact.phone,
            channels=list(contact.channels) if contact.channels else None,
            updated_at=event.time,
        )
    )


async def record_question_contact(session: AsyncSession, event: CloudEvent) -> None:
    """The asker of a question, kept like an applicant: the contact's key is the question id."""
    contact = QuestionContactRegistered.model_validate(event.data)
    await NotifyRepository(session).save_contact(
        Contact(
            dossier_code=contact.question_id,
            applicant_name=contact.asker_name,
            email=str(contact.email) if contact.email else None,
            phone=contact.phone,
            channels=None,
            updated_at=event.time,
        )
    )


def _payload(event: CloudEvent) -> dict[str, Any]:
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
    payload = _payload(event)
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
        delivery_id = await _record_unreachable(repo, event, routing_key, code, EMAIL, trace_id)
        if delivery_id is not None:
            queued.append(delivery_id)
        log.warning("no channel to notify on", extra={"code": code, "event_type": routing_key})
        return queued
    for channel in channels:
        delivery_id = await _queue_channel(
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


async def _queue_channel(
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
        return await _record_unreachable(repo, event, routing_key, code, channel, trace_id)
    template = await repo.current_template(routing_key, channel)
    if template is None:
        raise Problem(
            500, "no-template", "Thiếu mẫu thông báo", f"Chưa có mẫu cho {routing_key} / {channel}."
        )
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


async def _record_unreachable(
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


async def complete_delivery(
    session: AsyncSession,
    outbox: Outbox,
    notifier: Notifier,
    delivery: Delivery,
    outcome: Outcome,
    rule: RetryRule,
) -> Status | None:
    """Record a send's outcome; on a final failure, tell officers (event) and queue the fallback channel."""
    assert delivery.id is not None
    repo = NotifyRepository(session)
    now = datetime.now(UTC)
    step = next_state(outcome, delivery.attempts, now, rule)
    answer = outcome.provider_answer if isinstance(outcome, Sent) else outcome.error
    done = await repo.finish(
        delivery.id,
        status=step.status,
        next_attempt_at=step.next_attempt_at,
        reason=step.reason,
        provider_answer=answer,
        sent=isinstance(outcome, Sent),
    )
    if not done:
        return None  # another worker reclaimed it after our lease ran out; its outcome counts
    if step.status is Status.FAILED:
        await _after_failure(session, outbox, notifier, delivery, step.reason or "failed")
    return step.status


async def _after_failure(
    session: AsyncSession, outbox: Outbox, notifier: Notifier, delivery: Delivery, reason: str
) -> None:
    repo = NotifyRepository(session)
    contact = await repo.contact(delivery.dossier_code)
    fallback: str | None = None
    if contact is not None:
        for channel in fallback_channels(delivery.channel, contact.email, contact.phone):
            event = await _origin_event(session, delivery)
            queued = await _queue_channel(
                repo,
                notifier,
                event,
                _payload(event),
                contact,
                delivery.event_type,
                channel,
                delivery.trace_id,
                delivery.traceparent,
                fallback_of=delivery.id,
            )
            if queued is not None:
                fallback = channel
                break
    await outbox.add(
        session,
        NOTIFICATION_FAILED,
        NotificationFailed(
            code=delivery.dossier_code,
            channel="zalo" if delivery.channel == "zalo" else "email",
            event_type=delivery.event_type,
            reason=reason,
            failed_at=datetime.now(UTC),
            fallback_channel="zalo" if fallback == "zalo" else "email" if fallback == "email" else None,
        ),
        subject=delivery.dossier_code,
    )
    log.warning(
        "notification failed",
        extra={
            "code": delivery.dossier_code,
            "channel": delivery.channel,
            "reason": reason,
            "fallback": fallback,
            "delivery": delivery.id,
        },
    )


async def _origin_event(session: AsyncSession, delivery: Delivery) -> CloudEvent:
    """The event a delivery was for: the fallback renders its own channel's template from it."""
    event = await NotifyRepository(session).notified_event(delivery.event_id)
    if event is None:
        raise RuntimeError(f"event {delivery.event_id} of delivery {delivery.id} is not kept")
    return CloudEvent.model_validate(event)


# ---------------------------------------------------------------- templates


async def seed_templates(session: AsyncSession) -> int:
    """Version 1 of every shipped template that the database does not hold yet."""
    repo = NotifyRepository(session)
    added = 0
    for (event_type, channel), source in shipped_templates().items():
        if await repo.current_template(event_type, channel) is not None:
            continue
        if await repo.add_template_version(_template_values(event_type, channel, 1, source, "seed", None)):
            added += 1
    return added


def _template_values(
    event_type: str, channel: str, version: int, source: TemplateSource, author: str, note: str | None
) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "channel": channel,
        "version": version,
        "subject": source.subject,
        "body_text": source.body_text,
        "body_html": source.body_html,
        "zalo_template_id": source.zalo_template_id,
        "zalo_data": dict(source.zalo_data) if source.zalo_data else None,
        "author": author,
        "note": note,
        "created_at": datetime.now(UTC),
    }


def _known(event_type: str, channel: str) -> None:
    if f"vn.dvc.{event_type}" not in BY_TYPE or channel not in CHANNELS:
        raise Problem(
            404,
            "unknown-template",
            "Không có mẫu này",
            f"Không có loại sự kiện «{event_type}» hoặc kênh «{channel}» (email, zalo).",
        )


def preview(
    notifier: Notifier,
    event_type: str,
    channel: str,
    source: TemplateSource,
    sample: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Render a (draft) template against the catalog's example of the event, or the given sample data."""
    _known(event_type, channel)
    example = BY_TYPE[f"vn.dvc.{event_type}"].example
    payload: dict[str, Any] = example.model_dump()
    if sample:
        if isinstance(sample.get("status"), int) and "status_name" not in sample:
            sample = {**sample, "status_name": NATIONAL_STATUS_NAMES.get(sample["status"], "")}
        payload = (
            BY_TYPE[f"vn.dvc.{event_type}"]
            .payload.model_validate({**example.model_dump(mode="json"), **sample})
            .model_dump()
        )
    context = notifier.context(payload, SAMPLE_APPLICANT, str(payload.get("code", "")))
    try:
        rendered = notifier.renderer.render(source, context)
    except TemplateInvalid as exc:
        raise Problem(
            422,
            "invalid-template",
            "Mẫu thông báo không hợp lệ",
            f"Phần «{exc.part}» của mẫu lỗi: {exc.error}",
            part=exc.part,
        ) from exc
    return {
        "subject": rendered.subject,
        "body_text": rendered.body_text,
        "body_html": rendered.body_html,
        "zalo_template_id": rendered.zalo_template_id,
        "zalo_data": rendered.zalo_data,
    }


async def save_template(
    session: AsyncSession,
    notifier: Notifier,
    event_type: str,
    channel: str,
    source: TemplateSource,
    *,
    author: str,
    note: str | None,
) -> Template:
    """A new version, after it rendered the event's example without error; queued messages keep theirs."""
    preview(notifier, event_type, channel, source, None)
    repo = NotifyRepository(session)
    await repo.lock_template_key(event_type, channel)
    current = await repo.current_template(event_type, channel)
    version = (current.version if current else 0) + 1
    saved = await repo.add_template_version(
        _template_values(event_type, channel, version, source, author, note)
    )
    if saved is None:
        raise Problem(
            409, "template-conflict", "Mẫu vừa được sửa", "Mẫu vừa được người khác sửa; vui lòng tải lại."
        )
    log.info("template saved", extra={"event_type": event_type, "channel": channel, "version": version})
    return saved
