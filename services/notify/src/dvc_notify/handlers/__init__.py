"""Notify's broker subscribers (thin): keep contacts; queue the notifications an event calls for."""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry import trace
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.broker import Consumer, QueueSpec, dispatch
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    INTERNAL_EXCHANGE,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_REQUESTED,
    PUBLIC_EXCHANGE,
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    CloudEvent,
)
from dvc_common.outbox import current_traceparent
from dvc_notify.service.contacts import record_contact, record_question_contact
from dvc_notify.service.notifications import enqueue_notifications
from dvc_notify.service.notifier import Notifier

CONTACTS_QUEUE = QueueSpec(
    "notify.contacts",
    INTERNAL_EXCHANGE,
    (DOSSIER_CONTACT_REGISTERED.routing_key, QUESTION_CONTACT_REGISTERED.routing_key),
)
# Lifecycle events the applicant is told about; each has templates in template_files/<routing key>/.
STATUS_QUEUE = QueueSpec("notify.dossier-status", PUBLIC_EXCHANGE, (DOSSIER_STATUS_CHANGED.routing_key,))
PAYMENT_EVENTS = (PAYMENT_REQUESTED, PAYMENT_COMPLETED, PAYMENT_FAILED)
PAYMENTS_QUEUE = QueueSpec("notify.payments", PUBLIC_EXCHANGE, tuple(e.routing_key for e in PAYMENT_EVENTS))
# The asker hears that the question was received (with its deadline), answered or declined.
QUESTION_EVENTS = (QUESTION_ASKED, QUESTION_ANSWERED, QUESTION_DECLINED)
QUESTIONS_QUEUE = QueueSpec(
    "notify.questions", PUBLIC_EXCHANGE, tuple(e.routing_key for e in QUESTION_EVENTS)
)
NOTIFIED_EVENTS = (DOSSIER_STATUS_CHANGED,)
QUEUES = (CONTACTS_QUEUE, STATUS_QUEUE, PAYMENTS_QUEUE, QUESTIONS_QUEUE)


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def consumers(notifier: Notifier, wake: Callable[[], None]) -> tuple[Consumer, ...]:
    async def on_event(session: AsyncSession, event: CloudEvent) -> None:
        await enqueue_notifications(
            session, notifier, event, trace_id=current_trace_id(), traceparent=current_traceparent()
        )
        wake()

    return (
        Consumer(
            CONTACTS_QUEUE,
            dispatch(
                {
                    DOSSIER_CONTACT_REGISTERED: record_contact,
                    QUESTION_CONTACT_REGISTERED: record_question_contact,
                }
            ),
        ),
        Consumer(STATUS_QUEUE, dispatch(dict.fromkeys(NOTIFIED_EVENTS, on_event))),
        Consumer(PAYMENTS_QUEUE, dispatch(dict.fromkeys(PAYMENT_EVENTS, on_event))),
        Consumer(QUESTIONS_QUEUE, dispatch(dict.fromkeys(QUESTION_EVENTS, on_event))),
    )
