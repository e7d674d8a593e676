"""Workflow's broker subscribers: each receives a typed payload, calls one use-case and returns."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import (
    AGENCY_UPSERTED,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_RESUBMITTED,
    DOSSIER_SUBMITTED,
    OFFICER_LOCKED,
    OFFICER_UPSERTED,
    PAYMENT_COMPLETED,
    AgencyUpserted,
    DossierContactRegistered,
    DossierResubmitted,
    DossierSubmitted,
    OfficerLocked,
    OfficerUpserted,
    PaymentCompleted,
)
from dvc_common.events.dossier import DOSSIER_RESULT_ATTACHED, DossierResultAttached
from dvc_common.topology import QueueSpec
from dvc_workflow.service import directory, payments, submissions
from dvc_workflow.service.context import Context

SUBMISSIONS_QUEUE = QueueSpec.for_events(
    "workflow.submissions", DOSSIER_SUBMITTED, DOSSIER_RESUBMITTED, DOSSIER_RESULT_ATTACHED
)
PAYMENTS_QUEUE = QueueSpec.for_events("workflow.payments", PAYMENT_COMPLETED)
# Who the control slip and the register name, and who can be assigned: the agency tree and the
# officers (internal), and the applicants (internal).
AGENCIES_QUEUE = QueueSpec.for_events("workflow.agencies", AGENCY_UPSERTED, OFFICER_UPSERTED, OFFICER_LOCKED)
APPLICANTS_QUEUE = QueueSpec.for_events("workflow.applicants", DOSSIER_CONTACT_REGISTERED)
QUEUES = (SUBMISSIONS_QUEUE, PAYMENTS_QUEUE, AGENCIES_QUEUE, APPLICANTS_QUEUE)


async def on_agency(session: AsyncSession, meta: EventMeta, upserted: AgencyUpserted) -> None:
    await directory.record_agency(session, upserted)


async def on_officer(session: AsyncSession, meta: EventMeta, upserted: OfficerUpserted) -> None:
    await directory.record_officer(session, upserted)


async def on_officer_locked(session: AsyncSession, meta: EventMeta, locked: OfficerLocked) -> None:
    await directory.officer_locked(session, locked)


async def on_contact(session: AsyncSession, meta: EventMeta, contact: DossierContactRegistered) -> None:
    await directory.record_applicant(session, contact)


def consumers(ctx: Context) -> tuple[Consumer, ...]:
    async def on_submitted(session: AsyncSession, meta: EventMeta, submitted: DossierSubmitted) -> None:
        await submissions.open_dossier(session, ctx, submitted, correlation_id=meta.correlationid)

    async def on_resubmitted(session: AsyncSession, meta: EventMeta, uploaded: DossierResubmitted) -> None:
        await submissions.supplement_uploaded(session, ctx, uploaded)

    async def on_result_attached(
        session: AsyncSession, meta: EventMeta, attached: DossierResultAttached
    ) -> None:
        await submissions.result_attached(session, attached)

    async def on_payment_completed(session: AsyncSession, meta: EventMeta, paid: PaymentCompleted) -> None:
        await payments.payment_completed(session, ctx, paid)

    return (
        Consumer.of(
            SUBMISSIONS_QUEUE,
            on(DOSSIER_SUBMITTED, on_submitted),
            on(DOSSIER_RESUBMITTED, on_resubmitted),
            on(DOSSIER_RESULT_ATTACHED, on_result_attached),
        ),
        Consumer.of(PAYMENTS_QUEUE, on(PAYMENT_COMPLETED, on_payment_completed)),
        Consumer.of(
            AGENCIES_QUEUE,
            on(AGENCY_UPSERTED, on_agency),
            on(OFFICER_UPSERTED, on_officer),
            on(OFFICER_LOCKED, on_officer_locked),
        ),
        Consumer.of(APPLICANTS_QUEUE, on(DOSSIER_CONTACT_REGISTERED, on_contact)),
    )
