"""Workflow's broker subscribers."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer
from dvc_common.events import (
    DOSSIER_RESUBMITTED,
    DOSSIER_SUBMITTED,
    PAYMENT_COMPLETED,
    PUBLIC_EXCHANGE,
    CloudEvent,
)
from dvc_common.outbox import Outbox
from dvc_common.topology import QueueSpec
from dvc_common.worktime import Calendar
from dvc_workflow import service

SUBMISSIONS_QUEUE = QueueSpec(
    "workflow.submissions",
    PUBLIC_EXCHANGE,
    (DOSSIER_SUBMITTED.routing_key, DOSSIER_RESUBMITTED.routing_key),
)
PAYMENTS_QUEUE = QueueSpec("workflow.payments", PUBLIC_EXCHANGE, (PAYMENT_COMPLETED.routing_key,))
QUEUES = (SUBMISSIONS_QUEUE, PAYMENTS_QUEUE)


def consumers(outbox: Outbox, calendar: Calendar) -> tuple[Consumer, ...]:
    ctx = service.Context(outbox, calendar)

    async def on_submitted(session: AsyncSession, event: CloudEvent) -> None:
        if event.type == DOSSIER_RESUBMITTED.ce_type:
            await service.supplement_uploaded(session, ctx, event)
        else:
            await service.open_dossier(session, outbox, event, calendar)

    async def on_payment_completed(session: AsyncSession, event: CloudEvent) -> None:
        await service.payment_completed(session, ctx, event)

    return (Consumer(SUBMISSIONS_QUEUE, on_submitted), Consumer(PAYMENTS_QUEUE, on_payment_completed))
