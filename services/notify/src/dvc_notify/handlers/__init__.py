"""Notify's broker subscribers (thin): keep contacts; queue the notifications an event calls for."""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry import trace
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_DUE_SOON,
    DOSSIER_EXTENDED,
    DOSSIER_OVERDUE,
    DOSSIER_STATUS_CHANGED,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_REQUESTED,
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    Payload,
)
from dvc_common.outbox import current_traceparent
from dvc_common.topology import QueueSpec
from dvc_notify.service.contacts import record_contact, record_question_contact
from dvc_notify.service.notifications import enqueue_notifications
from dvc_notify.service.notifier import Notifier

CONTACTS_QUEUE = QueueSpec.for_events(
    "notify.contacts", DOSSIER_CONTACT_REGISTERED, QUESTION_CONTACT_REGISTERED
)
# Lifecycle events the applicant is told about; each has templates in template_files/<routing key>/.
# An extension has its own letter (the apology and the new date), not a status mail.
# The deadline supervisor's due-soon and overdue (intake's 8 working hours, the appointment) too.
NOTIFIED_EVENTS = (DOSSIER_STATUS_CHANGED, DOSSIER_EXTENDED, DOSSIER_DUE_SOON, DOSSIER_OVERDUE)
STATUS_QUEUE = QueueSpec.for_events("notify.dossier-status", *NOTIFIED_EVENTS)
PAYMENT_EVENTS = (PAYMENT_REQUESTED, PAYMENT_COMPLETED, PAYMENT_FAILED)
PAYMENTS_QUEUE = QueueSpec.for_events("notify.payments", *PAYMENT_EVENTS)
# The asker hears that the question was received (with its deadline), answered or declined.
QUESTION_EVENTS = (QUESTION_ASKED, QUESTION_ANSWERED, QUESTION_DECLINED)
QUESTIONS_QUEUE = QueueSpec.for_events("notify.questions", *QUESTION_EVENTS)
QUEUES = (CONTACTS_QUEUE, STATUS_QUEUE, PAYMENTS_QUEUE, QUESTIONS_QUEUE)


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def consumers(notifier: Notifier, wake: Callable[[], None]) -> tuple[Consumer, ...]:
    async def notify_about(session: AsyncSession, meta: EventMeta, payload: Payload) -> None:
        await enqueue_notifications(
            session, notifier, meta, payload, trace_id=current_trace_id(), traceparent=current_traceparent()
        )
        wake()

    return (
        Consumer.of(
            CONTACTS_QUEUE,
            on(DOSSIER_CONTACT_REGISTERED, record_contact),
            on(QUESTION_CONTACT_REGISTERED, record_question_contact),
        ),
        Consumer.of(STATUS_QUEUE, *(on(e, notify_about) for e in NOTIFIED_EVENTS)),
        Consumer.of(PAYMENTS_QUEUE, *(on(e, notify_about) for e in PAYMENT_EVENTS)),
        Consumer.of(QUESTIONS_QUEUE, *(on(e, notify_about) for e in QUESTION_EVENTS)),
    )
