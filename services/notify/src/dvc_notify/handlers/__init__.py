"""Notify's broker subscribers (thin): keep contacts and local copies; queue the notifications an
event calls for (the applicant's, officers' about their work); mail an account holder's credentials."""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry import trace
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    AGENCY_UPSERTED,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_DUE_SOON,
    DOSSIER_EXTENDED,
    DOSSIER_OVERDUE,
    DOSSIER_RESUBMITTED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_SUBMITTED,
    OFFICER_LOCKED,
    OFFICER_UPSERTED,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_MISMATCH,
    PAYMENT_REQUESTED,
    PROCEDURE_PUBLISHED,
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    DossierDeadline,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
    Payload,
)
from dvc_common.events.dossier import DOSSIER_STEP_CHANGED, DossierStepChanged
from dvc_common.events.identity import OFFICER_CREDENTIALS_ISSUED, OfficerCredentialsIssued
from dvc_common.outbox import current_traceparent
from dvc_common.topology import QueueSpec
from dvc_notify.mailer import SmtpMailer
from dvc_notify.service import officers, projections
from dvc_notify.service.contacts import record_contact, record_question_contact
from dvc_notify.service.credentials import mail_credentials
from dvc_notify.service.notifications import enqueue_notifications
from dvc_notify.service.notifier import Notifier

CONTACTS_QUEUE = QueueSpec.for_events(
    "notify.contacts", DOSSIER_CONTACT_REGISTERED, QUESTION_CONTACT_REGISTERED
)
# Names for the letters and who the officers are: the catalog, identity's agencies and officers.
DIRECTORY_EVENTS = (PROCEDURE_PUBLISHED, AGENCY_UPSERTED, OFFICER_UPSERTED, OFFICER_LOCKED)
DIRECTORY_QUEUE = QueueSpec.for_events("notify.directory", *DIRECTORY_EVENTS)
# Lifecycle events the applicant is told about; each has templates in template_files/<routing key>/.
# An extension has its own letter (the apology and the new date), not a status mail.
# The deadline supervisor's due-soon and overdue (intake's 8 working hours, the appointment) too.
NOTIFIED_EVENTS = (DOSSIER_STATUS_CHANGED, DOSSIER_EXTENDED, DOSSIER_DUE_SOON, DOSSIER_OVERDUE)
STATUS_QUEUE = QueueSpec.for_events("notify.dossier-status", *NOTIFIED_EVENTS)
# What needs an officer: a new online dossier, a supplement, a deadline near or past (template_files/_officer/);
# who handles the dossier comes with its steps (assignment, hand-over: dossier.step_changed.v1, internal).
OFFICER_EVENTS = (
    DOSSIER_SUBMITTED,
    DOSSIER_RESUBMITTED,
    DOSSIER_STEP_CHANGED,
    DOSSIER_DUE_SOON,
    DOSSIER_OVERDUE,
    DOSSIER_STEP_OVERDUE,
)
OFFICERS_QUEUE = QueueSpec.for_events("notify.officers", *OFFICER_EVENTS)
# The payer hears of a fee, its payment, a failure, and money taken that will be refunded (mismatch).
PAYMENT_EVENTS = (PAYMENT_REQUESTED, PAYMENT_COMPLETED, PAYMENT_FAILED, PAYMENT_MISMATCH)
PAYMENTS_QUEUE = QueueSpec.for_events("notify.payments", *PAYMENT_EVENTS)
# The asker hears that the question was received (with its deadline), answered or declined.
QUESTION_EVENTS = (QUESTION_ASKED, QUESTION_ANSWERED, QUESTION_DECLINED)
QUESTIONS_QUEUE = QueueSpec.for_events("notify.questions", *QUESTION_EVENTS)
# A temporary password for the account holder's own e-mail (internal; never stored in clear).
CREDENTIALS_QUEUE = QueueSpec.for_events("notify.credentials", OFFICER_CREDENTIALS_ISSUED)
QUEUES = (
    CONTACTS_QUEUE,
    DIRECTORY_QUEUE,
    STATUS_QUEUE,
    OFFICERS_QUEUE,
    PAYMENTS_QUEUE,
    QUESTIONS_QUEUE,
    CREDENTIALS_QUEUE,
)


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def consumers(notifier: Notifier, mailer: SmtpMailer, wake: Callable[[], None]) -> tuple[Consumer, ...]:
    async def notify_about(session: AsyncSession, meta: EventMeta, payload: Payload) -> None:
        await enqueue_notifications(
            session, notifier, meta, payload, trace_id=current_trace_id(), traceparent=current_traceparent()
        )
        wake()

    async def status_changed(session: AsyncSession, meta: EventMeta, payload: DossierStatusChanged) -> None:
        await projections.dossier_handled(session, meta, payload)  # the department handling it
        await notify_about(session, meta, payload)

    async def submitted(session: AsyncSession, meta: EventMeta, payload: DossierSubmitted) -> None:
        if await officers.dossier_submitted(session, notifier, meta, payload):
            wake()

    async def resubmitted(session: AsyncSession, meta: EventMeta, payload: DossierResubmitted) -> None:
        if await officers.dossier_resubmitted(session, notifier, meta, payload):
            wake()

    async def step_changed(session: AsyncSession, meta: EventMeta, payload: DossierStepChanged) -> None:
        await projections.dossier_handled(session, meta, payload)

    async def deadline(session: AsyncSession, meta: EventMeta, payload: DossierDeadline) -> None:
        if await officers.dossier_deadline(session, notifier, meta, payload):
            wake()

    async def credentials(session: AsyncSession, meta: EventMeta, payload: OfficerCredentialsIssued) -> None:
        await mail_credentials(session, notifier, mailer, meta, payload)

    return (
        Consumer.of(
            CONTACTS_QUEUE,
            on(DOSSIER_CONTACT_REGISTERED, record_contact),
            on(QUESTION_CONTACT_REGISTERED, record_question_contact),
        ),
        Consumer.of(
            DIRECTORY_QUEUE,
            on(PROCEDURE_PUBLISHED, projections.procedure_published),
            on(AGENCY_UPSERTED, projections.agency_upserted),
            on(OFFICER_UPSERTED, projections.officer_upserted),
            on(OFFICER_LOCKED, projections.officer_locked),
        ),
        Consumer.of(
            STATUS_QUEUE,
            on(DOSSIER_STATUS_CHANGED, status_changed),
            *(on(e, notify_about) for e in NOTIFIED_EVENTS if e is not DOSSIER_STATUS_CHANGED),
        ),
        Consumer.of(
            OFFICERS_QUEUE,
            on(DOSSIER_SUBMITTED, submitted),
            on(DOSSIER_RESUBMITTED, resubmitted),
            on(DOSSIER_STEP_CHANGED, step_changed),
            *(on(e, deadline) for e in (DOSSIER_DUE_SOON, DOSSIER_OVERDUE, DOSSIER_STEP_OVERDUE)),
        ),
        Consumer.of(PAYMENTS_QUEUE, *(on(e, notify_about) for e in PAYMENT_EVENTS)),
        Consumer.of(QUESTIONS_QUEUE, *(on(e, notify_about) for e in QUESTION_EVENTS)),
        Consumer.of(CREDENTIALS_QUEUE, on(OFFICER_CREDENTIALS_ISSUED, credentials)),
    )
